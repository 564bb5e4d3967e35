using Pipeline.Reporting.Rollups;

namespace Pipeline.Reporting.Tests.Rollups.Rendering;

using static Pipeline.Reporting.Tests.Rollups.RollupFixtures;

/// <summary>
/// A small rollup the renderers are given: 迭部县 (11 townships) on 2026-11-26, where 电尕镇 reported 12 returnees,
/// 3 from epidemic areas and 100.5 yuan, 益哇镇 7 returnees, and the other nine did not report; the day before, only
/// 电尕镇 reported (10 returnees), so the change of returnees compares that one township: +2.
/// </summary>
internal static class SmallRollup
{
    public const string County = "623024";
    public const string Reporting = "623024100";
    public const string AlsoReporting = "623024101";
    public const string Silent = "623024102";
    public static readonly DateOnly Date = new(2026, 11, 26);

    public static RollupDocument Document(bool provisional = false)
    {
        var county = Units.Find(County)!;
        var today = new Dictionary<string, Dictionary<string, decimal>>
        {
            [Reporting] = new() { ["returnees"] = 12, ["fromEpidemicAreas"] = 3, ["donatedCashYuan"] = 100.5m },
            [AlsoReporting] = new() { ["returnees"] = 7 },
        };
        var yesterday = new Dictionary<string, Dictionary<string, decimal>> { [Reporting] = new() { ["returnees"] = 10 } };
        return Builder().Compose(Day(Date, today).Within(county), Day(Date.AddDays(-1), yesterday).Within(county),
                new Dictionary<string, decimal> { ["returnees"] = 100 }, provisional)
            with { Revision = 1, GeneratedAt = new DateTimeOffset(2026, 11, 26, 16, 30, 0, TimeSpan.Zero) };
    }

    /// <summary>The labels of the catalogue's indicators, in its order: the columns (or rows) every file has.</summary>
    public static IReadOnlyList<string> IndicatorLabels => Catalogue.Indicators.Select(i => i.LabelZh).ToList();

    public static int IndicatorColumn(string key) => Catalogue.Indicators.Select(i => i.Key).ToList().IndexOf(key);
}
