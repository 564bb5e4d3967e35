using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// Reads the current revision of every unit of a day, the rows of each county as <see cref="ReportStore.DayQuery"/>
/// names them, <see cref="CountiesInParallel"/> counties at a time, each streamed and composed as it comes
/// (<see cref="CountyReading"/>): memory holds one compact entry per unit of the area, never a row or a day more.
/// </summary>
public sealed class DayReader(ReportStore store, UnitRegistry units, IndicatorCatalogue catalogue)
{
    /// <summary>
    /// County queries in flight at once. All at once (a country has thousands of counties) queues them all behind each
    /// other at the storage, until the last ones pass the client's network timeout; a few keep the storage busy.
    /// </summary>
    public const int CountiesInParallel = 8;

    /// <summary>The catalogue's key table that the readings' values and sums are held in.</summary>
    public IndicatorSlots Slots { get; } = new(catalogue);

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

    public async Task<DayReading> ReadAsync(DateOnly date, AdminUnit scope, CancellationToken cancellationToken)
    {
        var read = await ReadCountiesAsync(date, scope, withPreviousDay: false, cancellationToken);
        var countyRollups = read.Select(r => r.County).ToList();
        var completeness = new Completeness(
            countyRollups.Sum(c => c.Expected), countyRollups.Sum(c => c.Reported),
            countyRollups.Sum(c => c.OnTime), countyRollups.Sum(c => c.Late), read.SelectMany(r => r.Missing).ToList());
        return new DayReading(date, scope, completeness, Sum(countyRollups.Select(c => c.Totals)), countyRollups,
            read.SelectMany(r => r.Units).ToList());
    }

    /// <summary>
    /// Every county of <paramref name="scope"/> in code order, read and composed as its rows stream in; with
    /// <paramref name="withPreviousDay"/>, the previous day's rows come in the same range read (its key range lies just
    /// before the day's), and leave only the previous completeness and the like-for-like changes behind.
    /// </summary>
    /// <param name="read">Called with each county's reading as soon as it is made (counties end in any order), before the rest are read.</param>
    /// <param name="window">Counts, per county, the day's revisions read that storage stamped in it (a build's record for the stale check).</param>
    /// <param name="inOrder">
    /// Handed each county's reading in code order, as soon as it and every county before it are read and handed to
    /// <paramref name="read"/> (the few that end early wait for the ones before them): an area's units in its order while the rest are still being read. Called
    /// under a lock, one county at a time: it must only hand the reading on, never wait.
    /// </param>
    public async Task<IReadOnlyList<CountyReading>> ReadCountiesAsync(
        DateOnly date, AdminUnit scope, bool withPreviousDay, CancellationToken cancellationToken, Func<CountyReading, CancellationToken, Task>? read = null,
        ReadWindow? window = null, Action<CountyReading>? inOrder = null)
    {
        var counties = units.TownshipsByCounty(scope.Code).Select((townships, i) => (Index: i, Townships: townships)).ToList();
        var done = new CountyReading?[counties.Count];
        var next = 0;
        return await PerCountyAsync(counties, async (c, ct) =>
        {
            var reading = await ReadCountyAsync(date, withPreviousDay, c.Townships.County, c.Townships.Townships, window?.For(c.Townships.County.Code), ct);
            if (read is not null)
            {
                await read(reading, ct);
            }

            if (inOrder is not null)
            {
                lock (done)
                {
                    done[c.Index] = reading;
                    for (; next < done.Length && done[next] is { } ready; next++)
                    {
                        inOrder(ready);
                    }
                }
            }

            return reading;
        }, cancellationToken);
    }

    /// <summary>Adds maps key by key in catalogue order; a key in none of them stays absent.</summary>
    public IReadOnlyDictionary<string, decimal> Sum(IEnumerable<IReadOnlyDictionary<string, decimal>> maps)
    {
        var sums = new IndicatorSums(Slots);
        foreach (var map in maps)
        {
            sums.Add(map);
        }

        return sums.Sums;
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
    private async Task<CountyReading> ReadCountyAsync(
        DateOnly date, bool withPreviousDay, AdminUnit county, IReadOnlyList<AdminUnit> townships, RevisionCount? written,
        CancellationToken cancellationToken)
    {
        var expected = townships.ToDictionary(t => t.Code, StringComparer.Ordinal);
        // Looked up by the unit code in the row's key, without a string of its own.
        var expectedByKey = expected.GetAlternateLookup<ReadOnlySpan<char>>();
        var previous = new Dictionary<string, (UnitValues Values, bool Late)>(StringComparer.Ordinal);
        var reports = new Dictionary<string, UnitRollup>(StringComparer.Ordinal);
        var first = withPreviousDay ? date.AddDays(-1) : date;
        var day = ReportKeys.Day(date);
        // A row's values by slot, filled anew for every row.
        var byKey = new decimal[Slots.Count];
        var present = new bool[Slots.Count];
        await foreach (var row in store.ReadDaysForRollupAsync(first, date, county.Code, cancellationToken, written))
        {
            // By catalogue position, which are Slots' (the store's mapper and this reader share the app's one catalogue).
            var report = store.Mapper.ReadRollupRow(row, byKey, present);
            if (!expectedByKey.TryGetValue(report.UnitCode, out var unit))
            {
                continue;
            }

            var values = Slots.Compact(byKey, present);
            if (!report.ReportDate.SequenceEqual(day))
            {
                previous[unit.Code] = (values, report.Late);
                continue;
            }

            reports[unit.Code] = new UnitRollup(unit.Code, unit.NameZh, county.Code, true, report.Late, report.Revision, values,
                report.Warnings.Count == 0 ? [] : report.Warnings, NullIfEmpty(report.Notes), NullIfEmpty(report.ReporterName),
                NullIfEmpty(report.ReporterPhone));
        }

        var unitRollups = new List<UnitRollup>(townships.Count);
        var missing = new List<MissingUnit>();
        var totals = new IndicatorSums(Slots);
        var changes = new IndicatorSums(Slots);
        var late = 0;
        foreach (var township in townships)
        {
            if (!reports.TryGetValue(township.Code, out var unit))
            {
                unitRollups.Add(new UnitRollup(township.Code, township.NameZh, county.Code, false, false, null, Slots.Empty, []));
                missing.Add(new MissingUnit(township.Code, township.NameZh, county.Code));
                continue;
            }

            unitRollups.Add(unit);
            totals.Add(unit.Values);
            late += unit.Late ? 1 : 0;
            if (previous.TryGetValue(township.Code, out var before))
            {
                changes.AddChange(unit.Values, before.Values);
            }
        }

        var previousLate = previous.Values.Count(p => p.Late);
        return new CountyReading(
            new CountyRollup(county.Code, county.NameZh, townships.Count, reports.Count, reports.Count - late, late, totals.Sums),
            unitRollups, missing, totals,
            new CompletenessCounts(townships.Count, previous.Count, previous.Count - previousLate, previousLate), changes);
    }
}
