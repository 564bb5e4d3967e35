using System.Collections.Concurrent;
using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// What a build's read of a day saw of the revisions storage stamped since <see cref="From"/>: per county, how many
/// (<see cref="RevisionCount"/>). <see cref="From"/> is the storage's time taken before any county is read, less
/// <see cref="Margin"/>, so every revision the read may have missed is stamped after it, and the index finds an area
/// stale when its counties now hold more such revisions than its build read (<see cref="RollupIndex"/>).
/// </summary>
public sealed class ReadWindow
{
    /// <summary>
    /// How far before the storage's time a revision the read may miss can be stamped: a revision's <c>Timestamp</c> is
    /// not the moment it became visible (Azurite stamps the time its request arrived; Azure its own partition's clock),
    /// so a transaction in flight while the build started can commit after the read with an earlier stamp. Far above
    /// what a write can take (the storage client gives up on a try after 10 s; Azure ends an operation after 30 s)
    /// and any skew between the storage's clocks; the cost of a wider window is only more rows for the check to count.
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, RevisionCount> counties = new(StringComparer.Ordinal);

    /// <param name="storageNow">The storage's time, before the build reads: whole seconds are kept, so that the client's
    /// comparison at 100 ns and a storage's at 1 ms (Azurite) agree on every row.</param>
    public ReadWindow(DateTimeOffset storageNow)
    {
        var seconds = storageNow.ToUniversalTime();
        From = new DateTimeOffset(seconds.Ticks - (seconds.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero) - Margin;
    }

    /// <summary>Revisions stamped at or after this (storage time) are counted.</summary>
    public DateTimeOffset From { get; }

    /// <summary>The count of one county's read.</summary>
    public RevisionCount For(string countyCode) => counties.GetOrAdd(countyCode, _ => new RevisionCount(From));

    /// <summary>What the build read of <paramref name="countyCodes"/> in the window: the area's count to record.</summary>
    public int SeenIn(IEnumerable<string> countyCodes) => countyCodes.Sum(c => counties.TryGetValue(c, out var count) ? count.Count : 0);
}
