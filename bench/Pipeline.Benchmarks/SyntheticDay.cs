using System.Diagnostics;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>
/// One generated reporting day: every township but one in <see cref="MissingEvery"/> reported (first revision). Loaded through the reporting library's grouped writer (<see cref="ReportWriter"/>: what a batch
/// uses after its rows are checked, revisions and state rows in entity-group transactions per county), which skips
/// the HTTP, queue and rule work of the batch path measured separately.
/// </summary>
public sealed class SyntheticDay(ReportWriter writer, UnitRegistry units)
{
    public const int MissingEvery = 33;

    /// <summary>A plausible report: the catalogue's cross-field rules hold (from Hubei &lt;= from epidemic areas &lt;= returnees).</summary>
    public static Dictionary<string, decimal> Values(int seed) => new(StringComparer.Ordinal)
    {
        ["returnees"] = 10 + seed % 7,
        ["fromEpidemicAreas"] = 3,
        ["fromHubei"] = 1,
        ["homeQuarantine"] = 5,
        ["feverReferred"] = seed % 2,
        ["temperatureChecks"] = 100 + seed % 50,
        ["vehiclesChecked"] = 20,
        ["personsChecked"] = 40,
        ["householdsSurveyed"] = 30,
        ["personsSurveyed"] = 90,
        ["volunteersOnDuty"] = 12,
        ["donatedCashYuan"] = 1500.5m,
    };

    /// <summary>Stores the day; returns how many reports and how long it took.</summary>
    public async Task<(int Reports, TimeSpan Elapsed)> LoadAsync(DateOnly date)
    {
        var clock = Stopwatch.StartNew();
        var reports = units.Townships.Where((_, i) => i % MissingEvery != MissingEvery - 1)
            .Select((t, i) => Report(t, date, i)).ToList();
        var byCounty = reports.GroupBy(r => units.CountyOf(r.Report.UnitCode)!.Code);
        await Parallel.ForEachAsync(byCounty, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (county, ct) =>
        {
            var saves = await writer.SaveAsync(county.ToList(), ct);
            if (saves.FirstOrDefault(s => s.Error is not null) is { } failed)
            {
                throw new InvalidOperationException("Loading the synthetic day failed.", failed.Error);
            }
        });
        return (reports.Count, clock.Elapsed);
    }

    private static IncomingReport Report(AdminUnit township, DateOnly date, int seed)
    {
        var report = new ValidReport(township.Code, date, $"synthetic-{seed}", Values(seed), "", "合成", "13800138000");
        return new IncomingReport(report, ReportFingerprint.ContentHash(report), "bench");
    }
}
