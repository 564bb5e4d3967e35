using Microsoft.Extensions.Options;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Rollups.Rendering;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Tests.Rollups.Rendering;

using static Pipeline.Reporting.Tests.Rollups.RollupFixtures;

/// <summary>
/// A prefecture of many townships (a generated registry), as the nightly build renders it: values held compactly as
/// read from storage, one township in 33 silent, a warning now and then, the same reporter everywhere.
/// </summary>
internal sealed class LargeRollup
{
    private LargeRollup(int counties, int townshipsPerCounty)
    {
        var root = new AdminUnit("620000", "合成省", "Synthetic province", UnitLevel.Prefecture, null);
        List<AdminUnit> all = [root];
        for (var c = 1; c <= counties; c++)
        {
            var county = new AdminUnit($"6201{c:D2}", $"合成县{c}", $"County {c}", UnitLevel.County, root.Code);
            all.Add(county);
            all.AddRange(Enumerable.Range(0, townshipsPerCounty).Select(t =>
                new AdminUnit($"{county.Code}{t:D3}", $"合成乡{c}-{t + 1}", $"Township {c}-{t + 1}", UnitLevel.Township, county.Code)));
        }

        Registry = new UnitRegistry(all);
        Layout = new RollupTables(Catalogue, Registry, Messages.LoadEmbedded(),
            new ReportingClock(TimeProvider.System, Options.Create(new PipelineOptions { ReportingTimeZone = "Asia/Shanghai" })));
        var reader = new DayReader(null!, Registry, Catalogue);
        var date = new DateOnly(2026, 11, 26);
        var builder = new RollupBuilder(reader, null!, Registry, Catalogue, null!);
        var (today, yesterday) = (Day(reader, date, 0), Day(reader, date.AddDays(-1), 3));
        var generatedAt = new DateTimeOffset(2026, 11, 26, 16, 30, 0, TimeSpan.Zero);
        Document = builder.Compose(today, yesterday, new Dictionary<string, decimal>()) with { Revision = 1, GeneratedAt = generatedAt };
        var first = Registry.Counties.OrderBy(c => c.Code, StringComparer.Ordinal).First();
        FirstCounty = builder.Compose(today.Within(first), yesterday.Within(first), new Dictionary<string, decimal>())
            with { Revision = 1, GeneratedAt = generatedAt };
    }

    public UnitRegistry Registry { get; }

    public RollupTables Layout { get; }

    /// <summary>The prefecture's document.</summary>
    public RollupDocument Document { get; }

    /// <summary>The document of the first county (in code order).</summary>
    public RollupDocument FirstCounty { get; }

    public static LargeRollup Of(int counties, int townshipsPerCounty) => new(counties, townshipsPerCounty);

    /// <summary>
    /// The bytes a renderer allocates per further unit of a document: the document of <paramref name="larger"/> less that of
    /// <paramref name="smaller"/>, each rendered once to warm up (a first run allocates too) and once measured, so that
    /// what a file costs whatever its size cancels out.
    /// </summary>
    public static double AllocatedPerUnit(
        LargeRollup smaller, LargeRollup larger, Func<LargeRollup, IStreamingRollupRenderer> renderer, Func<LargeRollup, RollupDocument> document)
    {
        long Allocated(LargeRollup large)
        {
            var (rendering, rollup) = (renderer(large), document(large));
            rendering.WriteAsync(rollup, Stream.Null, CancellationToken.None).GetAwaiter().GetResult();
            var before = GC.GetAllocatedBytesForCurrentThread();
            rendering.WriteAsync(rollup, Stream.Null, CancellationToken.None).GetAwaiter().GetResult();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        return (Allocated(larger) - Allocated(smaller)) / (double)(document(larger).Units.Count - document(smaller).Units.Count);
    }

    private DayReading Day(DayReader reader, DateOnly date, int shift)
    {
        var position = 0;
        List<UnitRollup> units = [];
        foreach (var township in Registry.Counties.OrderBy(c => c.Code, StringComparer.Ordinal).SelectMany(c => Registry.TownshipsWithin(c.Code)))
        {
            position++;
            units.Add(position % 33 == 0
                ? new UnitRollup(township.Code, township.NameZh, township.ParentCode!, false, false, null, reader.Slots.Empty, [])
                : new UnitRollup(township.Code, township.NameZh, township.ParentCode!, true, position % 17 == 0, 1 + position % 2,
                    reader.Slots.Compact(Values(position + shift)),
                    position % 50 == 0 ? [new ReportWarning("returnees", SoftRules.Outlier, 40, 4)] : [], null, "李四", "13900000000"));
        }

        return DayOf(date, Registry, reader, units);
    }

    private static Dictionary<string, decimal> Values(int seed) => new(StringComparer.Ordinal)
    {
        ["returnees"] = 10 + seed % 7,
        ["fromEpidemicAreas"] = 3,
        ["homeQuarantine"] = 5,
        ["feverReferred"] = seed % 2,
        ["temperatureChecks"] = 100 + seed % 50,
        ["personsChecked"] = 40 + seed % 2000,
        ["volunteersOnDuty"] = 12,
        ["donatedCashYuan"] = 1500.5m + seed % 3,
    };
}
