using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Tests.Validation;
using Pipeline.Reporting.Validation;
using Pipeline.Testing;

namespace Pipeline.Reporting.Tests.Storage;

/// <summary>What the tests of the revision planner plan with: one unit, its reporting day and now, and its reports told apart by their returnees.</summary>
internal static class PlannerInputs
{
    public const string Unit = "623024100";
    public static readonly DateOnly Day = new(2026, 11, 27);
    public static readonly DateTimeOffset Now = PipelineHost.DefaultNow;
    public static readonly IReadOnlyDictionary<DateOnly, IReadOnlyList<RevisionId>> NothingRead = new Dictionary<DateOnly, IReadOnlyList<RevisionId>>();

    /// <summary>A planner with the catalogue's soft rules on the pinned clock.</summary>
    public static RevisionPlanner Planner() => new(new SoftRules(IndicatorCatalogue.LoadEmbedded()), new RuleFixture().Clock);

    /// <summary>A report of <see cref="Unit"/> for <paramref name="date"/> (<see cref="Day"/> when null).</summary>
    public static IncomingReport Report(decimal returnees, string? submissionId = null, DateOnly? date = null)
    {
        var report = new ValidReport(Unit, date ?? Day, submissionId, new Dictionary<string, decimal> { ["returnees"] = returnees }, "", "", "");
        return new IncomingReport(report, ReportFingerprint.ContentHash(report), "token-1");
    }
}
