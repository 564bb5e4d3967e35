using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;
using Pipeline.Testing;

namespace Pipeline.Reporting.Tests.Validation;

/// <summary>The validation rules wired as in the app, with the clock pinned to 2026-11-27 12:00 in Shanghai.</summary>
internal sealed class RuleFixture
{
    public RuleFixture(DateTimeOffset? now = null)
    {
        Time = new FakeTimeProvider(now ?? PipelineHost.DefaultNow);
        Clock = new ReportingClock(Time, Options.Create(new PipelineOptions()));
        Validation = new HardRules(new ReportValidator(new ReportShape(Catalogue), Units, Clock));
    }

    public IndicatorCatalogue Catalogue { get; } = IndicatorCatalogue.LoadEmbedded();

    public UnitRegistry Units { get; } = UnitRegistry.LoadEmbedded();

    public Messages Messages { get; } = Messages.LoadEmbedded();

    public FakeTimeProvider Time { get; }

    public ReportingClock Clock { get; }

    public HardRules Validation { get; }

    public static ReportInput Input(
        string? unit = "623024100",
        string? date = "2026-11-27",
        Dictionary<string, decimal>? values = null,
        string? notes = null,
        string? name = null,
        string? phone = null,
        string? submissionId = null) =>
        new(unit, date, submissionId,
            (values ?? new Dictionary<string, decimal> { ["returnees"] = 12, ["fromEpidemicAreas"] = 3, ["homeQuarantine"] = 3, ["feverReferred"] = 0 })
                .ToDictionary(v => v.Key, v => InputValue.Of(v.Value)),
            notes, name, phone);

    public static Dictionary<string, decimal> ValidValues(params (string Key, decimal Value)[] changes)
    {
        var values = new Dictionary<string, decimal> { ["returnees"] = 12, ["fromEpidemicAreas"] = 3, ["homeQuarantine"] = 3, ["feverReferred"] = 0 };
        foreach (var (key, value) in changes)
        {
            values[key] = value;
        }

        return values;
    }
}
