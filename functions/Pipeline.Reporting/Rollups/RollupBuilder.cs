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
        var documents = new RollupDocument[Scopes.Count];
        await BuildAsync(date, (i, document, _) =>
        {
            documents[i] = document;
            return Task.CompletedTask;
        }, cancellationToken);
        return documents;
    }

    /// <summary>
    /// Hands every area's document to <paramref name="composed"/> (with its position in <see cref="Scopes"/>) as soon as it
    /// can be made: a county's once its own rows are read, while the other counties are still being read, the
    /// prefecture's once every county is. So the work on an area's files can start while the storage still reads.
    /// </summary>
    public async Task BuildAsync(DateOnly date, Func<int, RollupDocument, CancellationToken, Task> composed, CancellationToken cancellationToken)
    {
        ThrowIfFuture(date);
        await BuildAsync(date, IsProvisional(date), await index.AroundAsync(date, cancellationToken), composed, cancellationToken);
    }

    /// <summary>As <see cref="BuildAsync(DateOnly, Func{int, RollupDocument, CancellationToken, Task}, CancellationToken)"/>, with the index's other built days already read.</summary>
    /// <param name="provisional">Whether the documents are provisional (<see cref="IsProvisional"/>, asked once by the caller: a build may pass the deadline).</param>
    /// <param name="window">Counts what the read saw of each county's revisions stamped in it (see <see cref="ReadWindow"/>).</param>
    /// <param name="inOrder">Handed every county's reading in code order as soon as it and the ones before it are read (<see cref="DayReader.ReadCountiesAsync"/>): the prefecture's units, in its order, while the rest are read.</param>
    public async Task BuildAsync(
        DateOnly date, bool provisional, BuiltDaysAround around, Func<int, RollupDocument, CancellationToken, Task> composed, CancellationToken cancellationToken,
        ReadWindow? window = null, Action<CountyReading>? inOrder = null)
    {
        ThrowIfFuture(date);
        var scopes = Scopes;
        var position = Enumerable.Range(0, scopes.Count).ToDictionary(i => scopes[i].Code, StringComparer.Ordinal);
        var counties = await reader.ReadCountiesAsync(date, units.Root, withPreviousDay: true, cancellationToken, async (county, ct) =>
        {
            var i = position[county.County.Code];
            await composed(i, Compose(date, scopes[i], [county], around.CumulativeBefore(scopes[i].Code), provisional), ct);
        }, window, inOrder);
        // A county without townships has no reading; its rollup is an empty one.
        var read = counties.Select(c => c.County.Code).ToHashSet(StringComparer.Ordinal);
        for (var i = 1; i < scopes.Count; i++)
        {
            if (!read.Contains(scopes[i].Code))
            {
                await composed(i, Compose(date, scopes[i], [], around.CumulativeBefore(scopes[i].Code), provisional), cancellationToken);
            }
        }

        await composed(0, Compose(date, scopes[0], counties, around.CumulativeBefore(scopes[0].Code), provisional), cancellationToken);
    }

    /// <summary>
    /// What the prefecture's document says before any county is read (date, areas, provisional: the members its file
    /// starts with), as the build of <paramref name="date"/> with <paramref name="provisional"/> will compose it.
    /// </summary>
    public RollupDocument PrefectureStart(DateOnly date, bool provisional) =>
        Compose(date, units.Root, [], new Dictionary<string, decimal>(), provisional);

    private void ThrowIfFuture(DateOnly date)
    {
        if (IsFuture(date))
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, "A rollup of a future day cannot be built.");
        }
    }

    /// <summary>The rollup of an area made of the given counties' readings (each read with its previous day).</summary>
    public RollupDocument Compose(
        DateOnly date, AdminUnit scope, IReadOnlyList<CountyReading> counties, IReadOnlyDictionary<string, decimal> cumulativeBefore, bool provisional)
    {
        var totals = new IndicatorSums(reader.Slots);
        var changes = new IndicatorSums(reader.Slots);
        var (expected, reported, onTime, late) = (0, 0, 0, 0);
        var (previousReported, previousOnTime, previousLate) = (0, 0, 0);
        foreach (var county in counties)
        {
            totals.Add(county.Totals);
            changes.Add(county.Changes);
            (expected, reported, onTime, late) =
                (expected + county.County.Expected, reported + county.County.Reported, onTime + county.County.OnTime, late + county.County.Late);
            (previousReported, previousOnTime, previousLate) =
                (previousReported + county.Previous.Reported, previousOnTime + county.Previous.OnTime, previousLate + county.Previous.Late);
        }

        List<MissingUnit> missing = [.. counties.SelectMany(c => c.Missing)];
        IReadOnlyList<UnitRollup> unitRollups = counties.Count == 1 ? counties[0].Units : [.. counties.SelectMany(c => c.Units)];
        return Document(date, scope, provisional, new Completeness(expected, reported, onTime, late, missing),
            new CompletenessCounts(expected, previousReported, previousOnTime, previousLate), totals.Sums, cumulativeBefore, changes,
            [.. counties.Select(c => c.County)], unitRollups);
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
        var before = previousDay.Units.Where(u => u.Reported).ToDictionary(u => u.Code, u => u.Values, StringComparer.Ordinal);
        var changes = new IndicatorSums(reader.Slots);
        foreach (var unit in day.Units)
        {
            if (unit.Reported && before.TryGetValue(unit.Code, out var previous))
            {
                changes.AddChange(unit.Values, previous);
            }
        }

        return Document(day.Date, day.Scope, provisional, day.Completeness, previousDay.Completeness.Counts, day.Totals, cumulativeBefore,
            changes, day.Counties, day.Units);
    }

    private RollupDocument Document(
        DateOnly date, AdminUnit scope, bool provisional, Completeness completeness, CompletenessCounts previousCompleteness,
        IReadOnlyDictionary<string, decimal> totals, IReadOnlyDictionary<string, decimal> cumulativeBefore, IndicatorSums changes,
        IReadOnlyList<CountyRollup> counties, IReadOnlyList<UnitRollup> unitRollups)
    {
        var cumulative = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var indicator in catalogue.Indicators)
        {
            var key = indicator.Key;
            var hasToday = totals.TryGetValue(key, out var today);
            if (indicator.Cumulative && (hasToday || cumulativeBefore.ContainsKey(key)))
            {
                cumulative[key] = cumulativeBefore.GetValueOrDefault(key) + today;
            }
        }

        return new RollupDocument(
            ReportDate.Iso(date), 0, null,
            new AreaRef(units.Root.Code, units.Root.NameZh, units.Root.NameEn),
            new AreaRef(scope.Code, scope.NameZh, scope.NameEn),
            provisional,
            completeness, previousCompleteness,
            totals, cumulative, changes.Sums, changes.Counts, counties, unitRollups);
    }
}
