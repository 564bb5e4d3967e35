using Microsoft.Extensions.Logging;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// One write of a unit at a time on this instance: the writers of one unit queue here instead of racing for its next
/// revision number, so the optimistic-concurrency budget (<see cref="StoragePolicies.Concurrency"/>) is spent only on
/// writers of other instances. Without it, 24 requests of one unit released together (storage back after an outage)
/// each planned on the same state and all but one lost, round after round, until one had lost 20 times.
/// A unit's entry lives only while a writer holds or awaits it, so the lock holds no more entries than writes in flight.
/// The turns are for speed, not for correctness (the state row's ETag is): a writer waits at most
/// <see cref="DefaultMaxWait"/>, then goes ahead without its turn, so a write stuck on storage (up to the SDK's ~31 s) or
/// in a worker that stopped mid-run does not hold every other write of the unit as long. The wait is on the system
/// clock, like the retries' pauses.
/// </summary>
/// <param name="maxWait">How long a writer waits for its turn (<see cref="DefaultMaxWait"/>); shorter in tests.</param>
public sealed partial class UnitWriteLock(ILogger<UnitWriteLock> logger, TimeSpan? maxWait = null)
{
    /// <summary>
    /// Far longer than a burst of one unit's writes takes one after the other (each a few tens of milliseconds), and
    /// than a request's storage deadline (5 s): a report is answered before it would go ahead; a batch's writer goes ahead.
    /// </summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromSeconds(10);

    private readonly TimeSpan wait = maxWait ?? DefaultMaxWait;

    private readonly Dictionary<string, Entry> units = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Units with a write in flight or waiting on this instance.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return units.Count;
            }
        }
    }

    /// <summary>
    /// Waits until no other write of <paramref name="unitCode"/> is in flight on this instance, or the longest wait has
    /// passed; dispose the result to let the next one go.
    /// </summary>
    public async ValueTask<Held> AcquireAsync(string unitCode, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (gate)
        {
            if (!units.TryGetValue(unitCode, out entry!))
            {
                units[unitCode] = entry = new Entry();
            }

            entry.Users++;
        }

        try
        {
            if (!entry.Turn.Wait(0))
            {
                LogWaiting(unitCode);
                if (!await entry.Turn.WaitAsync(wait, cancellationToken))
                {
                    LogWentAhead(unitCode, wait.TotalSeconds);
                    Leave(unitCode, entry);
                    return new Held(this, unitCode, null);
                }
            }
        }
        catch
        {
            Leave(unitCode, entry);
            throw;
        }

        return new Held(this, unitCode, entry);
    }

    private void Release(string unitCode, Entry entry)
    {
        entry.Turn.Release();
        Leave(unitCode, entry);
    }

    private void Leave(string unitCode, Entry entry)
    {
        lock (gate)
        {
            if (--entry.Users == 0)
            {
                units.Remove(unitCode);
            }
        }
    }

    /// <summary>A unit's turn and how many writers hold or await it (changed only under the lock's gate).</summary>
    internal sealed class Entry
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public int Users { get; set; }
    }

    /// <summary>The turn of one unit's write; disposing it (once) lets the next writer of the unit go.</summary>
    public sealed class Held : IDisposable
    {
        private readonly UnitWriteLock owner;
        private readonly string unitCode;
        private Entry? entry;

        /// <param name="entry">The unit's entry whose turn this is; null for a writer that went ahead without one.</param>
        internal Held(UnitWriteLock owner, string unitCode, Entry? entry)
        {
            this.owner = owner;
            this.unitCode = unitCode;
            this.entry = entry;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref entry, null) is { } held)
            {
                owner.Release(unitCode, held);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unit {UnitCode}: another write of the unit is in flight on this instance; this one waits its turn")]
    private partial void LogWaiting(string unitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unit {UnitCode}: the write before this one has held the unit for {Seconds} s; this one goes ahead without its turn")]
    private partial void LogWentAhead(string unitCode, double seconds);
}
