using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// Reads the current revision of every unit of a day, the rows of each county as <see cref="ReportStore.DayQuery"/>
/// names them, <see cref="CountiesInParallel"/> counties at a time, each streamed: memory holds one entry per unit
/// of the area, never per day held.
/// </summary>
public sealed class DayReader(ReportStore store, UnitRegistry units, IndicatorCatalogue catalogue)
{
    /// <summary>
    /// County queries in flight at once. All at once (a country has thousands of counties) queues them all behind each
    /// other at the storage, until the last ones pass the client's network timeout; a few keep the storage busy.
    /// </summary>
    public const int CountiesInParallel = 8;

    /// <summary>Runs <paramref name="read"/> for every county, <see cref="CountiesInParallel"/> at a time; results in the order given.</summary>
    public static async Task<TResult[]> PerCountyAsync<TCounty, TResult>(
        IReadOnlyList<TCounty> counties, Func<TCounty, CancellationToken, Task<TResult>> read, CancellationToken cancellationToken)
    {
        var results = new TResult[counties.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, counties.Count),
            new ParallelOptions { MaxDegreeOfParallelism = CountiesInParallel, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await read(counties[i], ct));
        return results;
    }

    /// <summary>
    /// Whether any unit's current report of the day was written since <paramref name="since"/> (storage time) with a
    /// revision newer than the one <paramref name="read"/> holds: a report that landed while a build was reading.
    /// </summary>
    public async Task<bool> ChangedSinceAsync(DateOnly date, DateTimeOffset since, IReadOnlyList<UnitRollup> read, CancellationToken cancellationToken)
    {
        var revisions = read.ToDictionary(u => u.Code, u => u.Revision ?? 0, StringComparer.Ordinal);
        var changed = await PerCountyAsync(units.Counties, async (county, ct) =>
        {
            await foreach (var (unitCode, revision) in store.WrittenSinceAsync(date, county.Code, since, ct))
            {
                if (revisions.TryGetValue(unitCode, out var held) && revision > held)
                {
                    return true;
                }
            }

            return false;
        }, cancellationToken);
        return changed.Any(c => c);
    }

    public async Task<DayReading> ReadAsync(DateOnly date, AdminUnit scope, CancellationToken cancellationToken)
    {
        // Each expected township under its county, in one pass over the registry (not one pass per county).
        var counties = units.TownshipsWithin(scope.Code)
            .GroupBy(t => units.CountyOf(t.Code)!)
            .OrderBy(g => g.Key.Code, StringComparer.Ordinal)
            .ToList();
        var read = await PerCountyAsync(counties, (c, ct) => ReadCountyAsync(date, c.Key, c.ToList(), ct), cancellationToken);

        var countyRollups = read.Select(r => r.County).ToList();
        var unitRollups = read.SelectMany(r => r.Units).ToList();
        var missing = unitRollups.Where(u => !u.Reported)
            .Select(u => new MissingUnit(u.Code, u.Name, u.CountyCode)).ToList();
        var completeness = new Completeness(
            countyRollups.Sum(c => c.Expected), countyRollups.Sum(c => c.Reported),
            countyRollups.Sum(c => c.OnTime), countyRollups.Sum(c => c.Late), missing);
        return new DayReading(date, scope, completeness, Sum(countyRollups.Select(c => c.Totals)), countyRollups, unitRollups);
    }

    /// <summary>Adds maps key by key in catalogue order; a key in none of them stays absent.</summary>
    public IReadOnlyDictionary<string, decimal> Sum(IEnumerable<IReadOnlyDictionary<string, decimal>> maps)
    {
        var sums = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var map in maps)
        {
            foreach (var (key, value) in map)
            {
                sums[key] = sums.GetValueOrDefault(key) + value;
            }
        }

        return InCatalogueOrder(sums);
    }

    public IReadOnlyDictionary<string, decimal> InCatalogueOrder(IReadOnlyDictionary<string, decimal> values)
    {
        var ordered = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var indicator in catalogue.Indicators)
        {
            if (values.TryGetValue(indicator.Key, out var value))
            {
                ordered[indicator.Key] = value;
            }
        }

        return ordered;
    }

    private static string? NullIfEmpty(string text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <param name="townships">The county's expected townships, in code order.</param>
    private async Task<(CountyRollup County, List<UnitRollup> Units)> ReadCountyAsync(
        DateOnly date, AdminUnit county, IReadOnlyList<AdminUnit> townships, CancellationToken cancellationToken)
    {
        var expected = townships.Select(t => t.Code).ToHashSet(StringComparer.Ordinal);
        var reports = new Dictionary<string, StoredReport>(StringComparer.Ordinal);
        await foreach (var report in store.ReadDayAsync(date, county.Code, cancellationToken))
        {
            if (expected.Contains(report.UnitCode))
            {
                reports[report.UnitCode] = report;
            }
        }

        var unitRollups = townships.Select(t =>
            reports.TryGetValue(t.Code, out var r)
                ? new UnitRollup(t.Code, t.NameZh, county.Code, true, r.Late, r.Revision, InCatalogueOrder(r.Values), r.Warnings,
                    NullIfEmpty(r.Notes), NullIfEmpty(r.ReporterName), NullIfEmpty(r.ReporterPhone))
                : new UnitRollup(t.Code, t.NameZh, county.Code, false, false, null, new Dictionary<string, decimal>(), []))
            .ToList();
        var reported = reports.Values;
        var late = reported.Count(r => r.Late);
        return (new CountyRollup(county.Code, county.NameZh, unitRollups.Count, reported.Count, reported.Count - late, late,
            Sum(reported.Select(r => r.Values))), unitRollups);
    }
}
