using Microsoft.Extensions.Logging;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// One write of a unit at a time on this instance: the writers of one unit queue here instead of racing for its next
/// revision number, so the optimistic-concurrency budget (<see cref="StoragePolicies.Concurrency"/>) is spent only on
/// writers of other instances. Without it, 24 requests of one unit released together (storage back after an outage)
/// each planned on the same state and all but one lost, round after round, until one had lost 20 times.
/// A unit's entry lives only while a writer holds or awaits it, so the lock holds no more entries than writes in flight.
/// </summary>
public sealed partial class UnitWriteLock(ILogger<UnitWriteLock> logger)
{
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

    /// <summary>Waits until no other write of <paramref name="unitCode"/> is in flight on this instance; dispose the result to let the next one go.</summary>
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
                await entry.Turn.WaitAsync(cancellationToken);
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

        internal Held(UnitWriteLock owner, string unitCode, Entry entry)
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
}
