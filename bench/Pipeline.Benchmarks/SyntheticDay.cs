using System.Diagnostics;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>
/// One generated reporting day: every township but one in <see cref="MissingEvery"/> reported (first revision, on
/// time). Loaded through the reporting library's store (<see cref="ReportStore.ProjectCurrentAsync"/>: the current
/// projection in entity-group transactions), not the batch API, which at about 100 rows/s would take a quarter of an
/// hour for 100,000 units. The rollup reads only the current projection, so that is all the day needs.
/// </summary>
public sealed class SyntheticDay(ReportStore store, UnitRegistry units)
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
        var byCounty = reports.GroupBy(r => units.CountyOf(r.UnitCode)!.Code);
        await Parallel.ForEachAsync(byCounty, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (county, ct) => await store.ProjectCurrentAsync(county, ct));
        return (reports.Count, clock.Elapsed);
    }

    private static StoredReport Report(AdminUnit township, DateOnly date, int seed)
    {
        var hash = Convert.ToHexStringLower(BitConverter.GetBytes((long)seed)).PadLeft(64, '0');
        return new StoredReport(
            township.Code, date, 1, $"synthetic-{seed}", Values(seed), "", "合成", "13800138000",
            new DateTimeOffset(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8)), false,
            ReportFingerprint.Receipt(township.Code, date, 1, hash), [], hash, "bench");
    }
}
