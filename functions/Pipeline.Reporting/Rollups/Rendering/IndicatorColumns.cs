using Pipeline.Reporting.Catalogue;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// Where the values of a list of indicators go in a row, the i-th indicator in the i-th column: a unit's compact values
/// are placed by their slots, without a lookup by key per indicator (a county's summary is 33 indicators by 1,000
/// townships, a unit sheet 100,000 rows).
/// </summary>
internal sealed class IndicatorColumns
{
    private readonly IReadOnlyList<Indicator> indicators;
    private readonly Dictionary<string, int> columnOfKey;

    /// <summary>The column of each slot of <see cref="slots"/> (-1: not listed), made for the compact values last seen.</summary>
    private IndicatorSlots? slots;
    private int[] columnOfSlot = [];

    public IndicatorColumns(IReadOnlyList<Indicator> indicators)
    {
        this.indicators = indicators;
        columnOfKey = new Dictionary<string, int>(indicators.Count, StringComparer.Ordinal);
        for (var i = 0; i < indicators.Count; i++)
        {
            columnOfKey.TryAdd(indicators[i].Key, i);
        }
    }

    public int Count => indicators.Count;

    /// <summary>Each listed indicator's value into <paramref name="values"/> at its column, and whether there is one into <paramref name="present"/>.</summary>
    public void Place(IReadOnlyDictionary<string, decimal> from, Span<decimal> values, Span<bool> present)
    {
        present[..Count].Clear();
        if (from is UnitValues compact)
        {
            var columns = ColumnsOf(compact.Slots);
            for (var i = 0; i < compact.Count; i++)
            {
                if (columns[compact.SlotAt(i)] is var column and >= 0)
                {
                    (values[column], present[column]) = (compact.ValueAt(i), true);
                }
            }

            return;
        }

        for (var column = 0; column < indicators.Count; column++)
        {
            present[column] = from.TryGetValue(indicators[column].Key, out values[column]);
        }
    }

    private int[] ColumnsOf(IndicatorSlots of)
    {
        if (!ReferenceEquals(of, slots))
        {
            var columns = new int[of.Count];
            for (var slot = 0; slot < columns.Length; slot++)
            {
                columns[slot] = columnOfKey.GetValueOrDefault(of.Keys[slot], -1);
            }

            (slots, columnOfSlot) = (of, columns);
        }

        return columnOfSlot;
    }
}
