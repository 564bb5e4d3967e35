namespace Pipeline.Reporting.Rollups;

/// <summary>
/// What the rollup index holds of every area's other built days, seen from one day's build: per area, the sums of the
/// cumulative indicators' totals of the days before (cumulative(D) = these + totals(D)), and the later built days not yet
/// stale, which a change of the area's totals makes stale. Read in one query for every area (<see cref="RollupIndex.AroundAsync"/>).
/// </summary>
public sealed class BuiltDaysAround(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, decimal>> cumulativeBefore, IReadOnlyDictionary<string, IReadOnlyList<DateOnly>> laterNotStale)
{
    private static readonly IReadOnlyDictionary<string, decimal> NoTotals = new Dictionary<string, decimal>();

    /// <summary>The area's cumulative totals of every built day before the build's day; empty when none was built.</summary>
    public IReadOnlyDictionary<string, decimal> CumulativeBefore(string scope) => cumulativeBefore.GetValueOrDefault(scope, NoTotals);

    /// <summary>The area's built days after the build's day whose rollup is not stale yet, oldest first.</summary>
    public IReadOnlyList<DateOnly> LaterNotStale(string scope) => laterNotStale.GetValueOrDefault(scope, []);
}
