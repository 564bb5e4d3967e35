namespace Pipeline.Reporting.Rollups;

/// <summary>
/// Per indicator, a sum over units and how many units it covers, in catalogue slots: a county's totals or its
/// like-for-like changes, added up while its rows stream in, and the counties' sums added into an area's.
/// An indicator no unit contributed to stays absent from <see cref="Sums"/> (never 0).
/// </summary>
public sealed class IndicatorSums(IndicatorSlots slots)
{
    private readonly decimal[] sums = new decimal[slots.Count];
    private readonly int[] counts = new int[slots.Count];

    /// <summary>Adds a unit's values.</summary>
    public void Add(IReadOnlyDictionary<string, decimal> values)
    {
        if (values is UnitValues compact && compact.Slots == slots)
        {
            for (var i = 0; i < compact.Count; i++)
            {
                Add(compact.SlotAt(i), compact.ValueAt(i));
            }

            return;
        }

        foreach (var (key, value) in values)
        {
            if (slots.TryGetSlot(key, out var slot))
            {
                Add(slot, value);
            }
        }
    }

    /// <summary>Adds today - the previous day for every indicator a unit reported on both days.</summary>
    public void AddChange(IReadOnlyDictionary<string, decimal> today, IReadOnlyDictionary<string, decimal> previous)
    {
        foreach (var (key, value) in today)
        {
            if (previous.TryGetValue(key, out var then) && slots.TryGetSlot(key, out var slot))
            {
                Add(slot, value - then);
            }
        }
    }

    /// <summary>Adds another area's sums (a county's into the prefecture's).</summary>
    public void Add(IndicatorSums other)
    {
        for (var slot = 0; slot < sums.Length; slot++)
        {
            if (other.counts[slot] > 0)
            {
                sums[slot] += other.sums[slot];
                counts[slot] += other.counts[slot];
            }
        }
    }

    /// <summary>The sums of the indicators any unit contributed to, in catalogue order.</summary>
    public IReadOnlyDictionary<string, decimal> Sums => Collect(slot => sums[slot]);

    /// <summary>How many units each sum of <see cref="Sums"/> covers.</summary>
    public IReadOnlyDictionary<string, int> Counts => Collect(slot => counts[slot]);

    private void Add(int slot, decimal value)
    {
        sums[slot] += value;
        counts[slot]++;
    }

    private Dictionary<string, T> Collect<T>(Func<int, T> value)
    {
        var collected = new Dictionary<string, T>(StringComparer.Ordinal);
        for (var slot = 0; slot < sums.Length; slot++)
        {
            if (counts[slot] > 0)
            {
                collected[slots.Keys[slot]] = value(slot);
            }
        }

        return collected;
    }
}
