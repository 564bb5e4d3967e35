using System.Diagnostics.CodeAnalysis;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// One unit's reported values in catalogue order, held as two small arrays (slot numbers and values) over the shared
/// <see cref="IndicatorSlots"/>: a rollup of a large area holds one of these per unit, a quarter of a dictionary's size.
/// Reads, enumerates and serialises as the dictionary it stands for.
/// </summary>
public sealed class UnitValues : IReadOnlyDictionary<string, decimal>
{
    private readonly byte[] positions;
    private readonly decimal[] values;

    internal UnitValues(IndicatorSlots slots, byte[] positions, decimal[] values)
    {
        Slots = slots;
        this.positions = positions;
        this.values = values;
    }

    public IndicatorSlots Slots { get; }

    public int Count => positions.Length;

    /// <summary>The slot (catalogue position) of the i-th value held.</summary>
    public int SlotAt(int i) => positions[i];

    /// <summary>The i-th value held.</summary>
    public decimal ValueAt(int i) => values[i];

    public IEnumerable<string> Keys => positions.Select(p => Slots.Keys[p]);

    public IEnumerable<decimal> Values => values;

    public decimal this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out decimal value)
    {
        if (Slots.TryGetSlot(key, out var slot) && Array.IndexOf(positions, (byte)slot) is var i and >= 0)
        {
            value = values[i];
            return true;
        }

        value = default;
        return false;
    }

    public IEnumerator<KeyValuePair<string, decimal>> GetEnumerator()
    {
        for (var i = 0; i < positions.Length; i++)
        {
            yield return new KeyValuePair<string, decimal>(Slots.Keys[positions[i]], values[i]);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
