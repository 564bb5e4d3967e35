using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// Computes a day's rollup document from storage: the day as read now, the previous day's totals for the
/// changes (from its rollup when that is built and not stale, else read now), and the cumulative totals of every
/// earlier built day from the rollup index. Revision and
/// generation time are left empty; <see cref="RollupService"/> assigns them only when the content is new.
/// </summary>
public sealed class RollupBuilder(DayReader reader, RollupIndex index, UnitRegistry units, IndicatorCatalogue catalogue)
{
    public async Task<RollupDocument> BuildAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var day = reader.ReadAsync(date, units.Root, cancellationToken);
        var previous = PreviousTotalsAsync(date.AddDays(-1), cancellationToken);
        var cumulativeBefore = index.CumulativeBeforeAsync(date, cancellationToken);
        return Compose(await day, await previous, await cumulativeBefore);
    }

    /// <summary>
    /// A built day that is not stale has had no report since its build read, so its stored totals are what reading it
    /// again would give (the cumulative figures rely on the same rows): the nightly build reads one day, not two.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, decimal>> PreviousTotalsAsync(DateOnly previous, CancellationToken cancellationToken) =>
        await index.CurrentTotalsAsync(previous, cancellationToken)
            ?? (await reader.ReadAsync(previous, units.Root, cancellationToken)).Totals;

    /// <summary>
    /// The rollup of <paramref name="day"/>. Cumulative = the cumulative totals of the days before plus this
    /// day's totals, for cumulative kinds (flow, money) only. Changes = this day's total minus the previous
    /// day's, for indicators reported on both days (a change from "not reported" is not a number).
    /// </summary>
    public RollupDocument Compose(
        DayReading day,
        IReadOnlyDictionary<string, decimal> previousTotals,
        IReadOnlyDictionary<string, decimal> cumulativeBefore)
    {
        var cumulative = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var changes = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var indicator in catalogue.Indicators)
        {
            var key = indicator.Key;
            var hasToday = day.Totals.TryGetValue(key, out var today);
            if (indicator.Cumulative && (hasToday || cumulativeBefore.ContainsKey(key)))
            {
                cumulative[key] = cumulativeBefore.GetValueOrDefault(key) + today;
            }

            if (hasToday && previousTotals.TryGetValue(key, out var before))
            {
                changes[key] = today - before;
            }
        }

        return new RollupDocument(
            RollupDates.Iso(day.Date), 0, null,
            new AreaRef(day.Scope.Code, day.Scope.NameZh, day.Scope.NameEn),
            day.Completeness, day.Totals, cumulative, changes, day.Counties, day.Units);
    }
}
