using Microsoft.Extensions.Options;
using Pipeline.Reporting.Configuration;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// This instance's copy of the state rows of the units it wrote or read last, at most
/// <see cref="PipelineOptions.UnitStateCacheSize"/> of them (the least recently used go first), so that a report of a
/// unit seen before costs one round trip: the write transaction. A copy is the parsed <see cref="UnitState"/>, not the
/// row's JSON: a report is planned on it without parsing, and the state it writes shares every unchanged day with it,
/// so what a write leaves in the cache is one day and a list, not a whole row's bytes that lived past the next
/// collections (the ingest's gen1 collections, about 55 in 5 s where the raw transaction had none). A copy may be stale (another instance wrote the unit
/// since): the transaction's ETag then refuses it, and <see cref="ReportWriter"/> drops it and reads the row again.
/// A copy never replaces a newer one (<see cref="UnitState.Writes"/>): a read that storage answered before another
/// request's write, but that arrives here after that write's row, would otherwise put the older copy back.
/// </summary>
public sealed class UnitStateCache(IOptions<PipelineOptions> options)
{
    private readonly int capacity = options.Value.UnitStateCacheSize;
    private readonly Dictionary<string, LinkedListNode<UnitState>> rows = new(StringComparer.Ordinal);
    private readonly LinkedList<UnitState> byUse = new();
    private readonly Lock gate = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return rows.Count;
            }
        }
    }

    public bool TryGet(string unitCode, out UnitState row)
    {
        lock (gate)
        {
            if (rows.TryGetValue(unitCode, out var node))
            {
                byUse.Remove(node);
                byUse.AddFirst(node);
                row = node.Value;
                return true;
            }
        }

        row = null!;
        return false;
    }

    public void Set(UnitState row)
    {
        if (capacity == 0)
        {
            return;
        }

        lock (gate)
        {
            if (rows.TryGetValue(row.UnitCode, out var held) && held.Value.Writes > row.Writes)
            {
                return;
            }

            if (rows.Remove(row.UnitCode, out var old))
            {
                byUse.Remove(old);
            }
            else if (rows.Count >= capacity)
            {
                rows.Remove(byUse.Last!.Value.UnitCode);
                byUse.RemoveLast();
            }

            rows[row.UnitCode] = byUse.AddFirst(row);
        }
    }

    public void Remove(string unitCode)
    {
        lock (gate)
        {
            if (rows.Remove(unitCode, out var node))
            {
                byUse.Remove(node);
            }
        }
    }
}
