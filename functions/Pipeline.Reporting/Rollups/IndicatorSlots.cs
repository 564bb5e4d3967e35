using System.Collections.Frozen;
using Pipeline.Reporting.Catalogue;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// The catalogue's indicators numbered in catalogue order: the shared key table that lets a unit's values and a sum over
/// units live in small arrays (<see cref="UnitValues"/>, <see cref="IndicatorSums"/>) instead of a dictionary each.
/// </summary>
public sealed class IndicatorSlots
{
    private readonly FrozenDictionary<string, int> slots;

    public IndicatorSlots(IndicatorCatalogue catalogue)
    {
        var keys = catalogue.Indicators.Select(i => i.Key).ToArray();
        if (keys.Length > byte.MaxValue)
        {
            throw new ArgumentException($"A catalogue of {keys.Length} indicators does not fit the slots' bytes.", nameof(catalogue));
        }

        Keys = keys;
        slots = keys.Select((key, i) => (key, i)).ToFrozenDictionary(p => p.key, p => p.i, StringComparer.Ordinal);
        Empty = new UnitValues(this, [], []);
    }

    /// <summary>The indicator keys in catalogue order; a slot is an index into it.</summary>
    public IReadOnlyList<string> Keys { get; }

    public int Count => Keys.Count;

    /// <summary>No values: shared by every unit that did not report.</summary>
    public UnitValues Empty { get; }

    public bool TryGetSlot(string key, out int slot) => slots.TryGetValue(key, out slot);

    /// <summary>The values of catalogue indicators, in catalogue order; keys the catalogue does not know are left out.</summary>
    public UnitValues Compact(IReadOnlyDictionary<string, decimal> values)
    {
        if (values is UnitValues compact && compact.Slots == this)
        {
            return compact;
        }

        Span<decimal> byKey = stackalloc decimal[Count];
        Span<bool> present = stackalloc bool[Count];
        foreach (var (key, value) in values)
        {
            if (slots.TryGetValue(key, out var slot))
            {
                present[slot] = true;
                byKey[slot] = value;
            }
        }

        return Compact(byKey, present);
    }

    /// <summary>The values <paramref name="present"/> of <paramref name="byKey"/>, both by slot (catalogue order), in catalogue order.</summary>
    public UnitValues Compact(ReadOnlySpan<decimal> byKey, ReadOnlySpan<bool> present)
    {
        var count = present[..Count].Count(true);
        if (count == 0)
        {
            return Empty;
        }

        var positions = new byte[count];
        var held = new decimal[count];
        for (int slot = 0, i = 0; slot < Count; slot++)
        {
            if (present[slot])
            {
                positions[i] = (byte)slot;
                held[i++] = byKey[slot];
            }
        }

        return new UnitValues(this, positions, held);
    }
}
