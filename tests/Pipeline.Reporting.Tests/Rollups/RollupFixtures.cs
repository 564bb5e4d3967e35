using Microsoft.Extensions.Options;
using Microsoft.IO;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Rollups.Rendering;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Tests.Rollups;

/// <summary>Rollup documents made in memory, from units' values, for the builder and the renderers.</summary>
internal static class RollupFixtures
{
    public static readonly UnitRegistry Units = UnitRegistry.LoadEmbedded();
    public static readonly IndicatorCatalogue Catalogue = IndicatorCatalogue.LoadEmbedded();
    public static readonly RollupTables Layout = LayoutIn("Asia/Shanghai");
    public static readonly DayReader Reader = new(null!, Units, Catalogue);
    public static readonly RecyclableMemoryStreamManager Buffers = RollupBufferPool.Create();

    public static readonly Dictionary<string, Dictionary<string, decimal>> None = [];

    /// <summary>The files' layout with times printed in <paramref name="timeZone"/> (Pipeline:ReportingTimeZone).</summary>
    public static RollupTables LayoutIn(string timeZone) => new(Catalogue, Units, Messages.LoadEmbedded(),
        new ReportingClock(TimeProvider.System, Options.Create(new PipelineOptions { ReportingTimeZone = timeZone })));

    public static RollupBuilder Builder() => new(Reader, null!, Units, Catalogue, null!);

    /// <summary>A day of the whole prefecture where the given units reported the given values (the rest did not report).</summary>
    public static DayReading Day(DateOnly date, IReadOnlyDictionary<string, Dictionary<string, decimal>> reported, string? notes = null)
    {
        var units = Units.Townships.OrderBy(t => t.Code, StringComparer.Ordinal).Select(t => reported.TryGetValue(t.Code, out var values)
            ? new UnitRollup(t.Code, t.NameZh, Units.CountyOf(t.Code)!.Code, true, false, 1, Reader.InCatalogueOrder(values), [],
                notes, "张三", "13800000000")
            : new UnitRollup(t.Code, t.NameZh, Units.CountyOf(t.Code)!.Code, false, false, null, new Dictionary<string, decimal>(), [])).ToList();
        return DayOf(date, Units, Reader, units);
    }

    /// <summary>A day of <paramref name="registry"/> made of its units' rollups: each county's counts and totals, the missing units.</summary>
    public static DayReading DayOf(DateOnly date, UnitRegistry registry, DayReader reader, IReadOnlyList<UnitRollup> units)
    {
        var byCounty = units.ToLookup(u => u.CountyCode);
        var counties = registry.Counties.OrderBy(c => c.Code, StringComparer.Ordinal).Select(c =>
        {
            var done = byCounty[c.Code].Where(u => u.Reported).ToList();
            var late = done.Count(u => u.Late);
            return new CountyRollup(c.Code, c.NameZh, byCounty[c.Code].Count(), done.Count, done.Count - late, late, reader.Sum(done.Select(u => u.Values)));
        }).ToList();
        var missing = units.Where(u => !u.Reported).Select(u => new MissingUnit(u.Code, u.Name, u.CountyCode)).ToList();
        return new DayReading(date, registry.Root,
            new Completeness(units.Count, units.Count - missing.Count, counties.Sum(c => c.OnTime), counties.Sum(c => c.Late), missing),
            reader.Sum(counties.Select(c => c.Totals)), counties, units);
    }

    /// <summary>A busy day: every township reported every key indicator, figures from a few to tens of thousands.</summary>
    public static Dictionary<string, Dictionary<string, decimal>> Busy(int skipEvery = 7) =>
        Units.Townships.OrderBy(t => t.Code, StringComparer.Ordinal)
            .Select((t, i) => (t, i))
            .Where(p => p.i % skipEvery != 3)
            .ToDictionary(p => p.t.Code, p => new Dictionary<string, decimal>
            {
                ["returnees"] = 20 + p.i % 13,
                ["fromEpidemicAreas"] = p.i % 4,
                ["homeQuarantine"] = 5 + p.i % 6,
                ["centralQuarantine"] = p.i % 3,
                ["feverReferred"] = p.i % 2,
                ["suspectedCases"] = p.i == 5 ? 2 : 0,
                ["confirmedCases"] = p.i == 40 ? 37 : 0,
                ["personsChecked"] = 250 + 7 * p.i,
            });
}
