using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// Computes a day's rollup documents from storage, one per area: the prefecture first, then every county (spec
/// section 9), all from one reading of the day and one of the previous day (for the like-for-like changes), with the
/// cumulative totals of every earlier built day of that area from the rollup index. Revision and generation time
/// are left empty; <see cref="RollupService"/> assigns them only when an area's content is new.
/// </summary>
public sealed class RollupBuilder(DayReader reader, RollupIndex index, UnitRegistry units, IndicatorCatalogue catalogue, ReportingClock clock)
{
    /// <summary>The areas every build makes: the prefecture, then each county in code order.</summary>
    public IReadOnlyList<AdminUnit> Scopes => [units.Root, .. units.Counties.OrderBy(c => c.Code, StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="date"/> lies after today in the reporting time zone: no rollup can be built for it.</summary>
    public bool IsFuture(DateOnly date) => date > clock.Today;

    /// <summary>Today's day before its deadline: its rollup is provisional (more reports are due).</summary>
    public bool IsProvisional(DateOnly date) => date == clock.Today && clock.UtcNow <= clock.DeadlineOf(date);

    public async Task<IReadOnlyList<RollupDocument>> BuildAsync(DateOnly date, CancellationToken cancellationToken)
    {
        if (IsFuture(date))
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, "A rollup of a future day cannot be built.");
        }

        var scopes = Scopes;
        var day = reader.ReadAsync(date, units.Root, cancellationToken);
        var previous = reader.ReadAsync(date.AddDays(-1), units.Root, cancellationToken);
        var cumulativeBefore = Task.WhenAll(scopes.Select(s => index.CumulativeBeforeAsync(date, s.Code, cancellationToken)));
        var (today, before, cumulative) = (await day, await previous, await cumulativeBefore);
        var provisional = IsProvisional(date);
        return scopes.Select((scope, i) => i == 0
            ? Compose(today, before, cumulative[i], provisional)
            : Compose(today.Within(scope), before.Within(scope), cumulative[i], provisional)).ToList();
    }

    /// <summary>
    /// The rollup of <paramref name="day"/>. Cumulative = the cumulative totals of the days before plus this
    /// day's totals, for cumulative kinds (flow, money) only. Changes compare like with like: per indicator, the sum
    /// over the units that reported it on both days of (today - the previous day); an indicator no unit reported on
    /// both days has no change (a change from "not reported" is not a number).
    /// </summary>
    public RollupDocument Compose(
        DayReading day,
        DayReading previousDay,
        IReadOnlyDictionary<string, decimal> cumulativeBefore,
        bool provisional = false)
    {
        var cumulative = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var indicator in catalogue.Indicators)
        {
            var key = indicator.Key;
            var hasToday = day.Totals.TryGetValue(key, out var today);
            if (indicator.Cumulative && (hasToday || cumulativeBefore.ContainsKey(key)))
            {
                cumulative[key] = cumulativeBefore.GetValueOrDefault(key) + today;
            }
        }

        var (changes, changeUnits) = LikeForLike(day, previousDay);
        return new RollupDocument(
            ReportDate.Iso(day.Date), 0, null,
            new AreaRef(units.Root.Code, units.Root.NameZh, units.Root.NameEn),
            new AreaRef(day.Scope.Code, day.Scope.NameZh, day.Scope.NameEn),
            provisional,
            day.Completeness, previousDay.Completeness.Counts,
            day.Totals, cumulative, changes, changeUnits, day.Counties, day.Units);
    }

    private (IReadOnlyDictionary<string, decimal> Changes, IReadOnlyDictionary<string, int> Units) LikeForLike(DayReading day, DayReading previousDay)
    {
        var before = previousDay.Units.Where(u => u.Reported).ToDictionary(u => u.Code, u => u.Values, StringComparer.Ordinal);
        var sums = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var unit in day.Units)
        {
            if (!unit.Reported || !before.TryGetValue(unit.Code, out var previous))
            {
                continue;
            }

            foreach (var (key, value) in unit.Values)
            {
                if (previous.TryGetValue(key, out var then))
                {
                    sums[key] = sums.GetValueOrDefault(key) + (value - then);
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }
            }
        }

        var changes = reader.InCatalogueOrder(sums);
        return (changes, changes.Keys.ToDictionary(k => k, k => counts[k], StringComparer.Ordinal));
    }
}
