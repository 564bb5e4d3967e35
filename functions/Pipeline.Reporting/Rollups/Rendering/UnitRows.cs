using Pipeline.Reporting.Catalogue;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// The rows of a unit table, one per unit, made as they are read: code, name, county, reported, late, revision, the
/// indicators' values, warnings, notes, the reporter and their phone. A large area's unit table (100,000 rows of 50
/// cells) is never held, and written through <see cref="Write"/> its rows are not even made: a workbook writes each
/// unit sheet's cells straight from the units.
/// </summary>
internal sealed class UnitRows(
    IReadOnlyList<UnitRollup> units, IReadOnlyList<Indicator> indicators, Func<UnitRollup, string> county, string yes, string no,
    Func<UnitRollup, string?> warnings) : IWritableRows
{
    /// <summary>The columns before the indicators' (code, name, county, reported, late, revision) and after them (warnings, notes, reporter, phone).</summary>
    public const int Before = 6;
    public const int After = 4;

    private readonly IndicatorColumns columns = new(indicators);

    public IReadOnlyList<UnitRollup> Units => units;

    public IReadOnlyList<Indicator> Indicators => indicators;

    public int Count => units.Count;

    public int Columns => Before + indicators.Count + After;

    public IReadOnlyList<object?> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)units.Count, nameof(index));
            var row = new CellArray(Columns);
            Write(index, row);
            return row.Cells;
        }
    }

    public void Write(int row, ITableCells cells)
    {
        var u = units[row];
        cells.Text(u.Code);
        cells.Text(u.Name);
        cells.Text(county(u));
        cells.Text(u.Reported ? yes : no);
        Text(cells, u.Reported ? u.Late ? yes : no : null);
        if (u.Revision is { } revision)
        {
            cells.Number(revision);
        }
        else
        {
            cells.Empty();
        }

        Span<decimal> values = stackalloc decimal[indicators.Count];
        Span<bool> present = stackalloc bool[indicators.Count];
        columns.Place(u.Values, values, present);
        for (var i = 0; i < values.Length; i++)
        {
            if (present[i])
            {
                cells.Number(values[i]);
            }
            else
            {
                cells.Empty();
            }
        }

        Text(cells, u.Warnings.Count == 0 ? null : warnings(u));
        Text(cells, u.Notes);
        Text(cells, u.ReporterName);
        Text(cells, u.ReporterPhone);
    }

    /// <summary>
    /// Where each column of this table is in <paramref name="other"/>'s, the same units with more indicators (the key
    /// indicators' sheet within every indicator's), so that one measurement of the wider table serves both; null when
    /// these are other units or it lacks an indicator.
    /// </summary>
    public int[]? ColumnsWithin(UnitRows other)
    {
        if (!ReferenceEquals(units, other.Units))
        {
            return null;
        }

        var at = new int[Columns];
        for (var c = 0; c < Before; c++)
        {
            at[c] = c;
        }

        for (var i = 0; i < indicators.Count; i++)
        {
            var found = -1;
            for (var j = 0; j < other.Indicators.Count && found < 0; j++)
            {
                found = other.Indicators[j].Key == indicators[i].Key ? j : -1;
            }

            if (found < 0)
            {
                return null;
            }

            at[Before + i] = Before + found;
        }

        for (var c = 0; c < After; c++)
        {
            at[Before + indicators.Count + c] = Before + other.Indicators.Count + c;
        }

        return at;
    }

    public IEnumerator<IReadOnlyList<object?>> GetEnumerator()
    {
        for (var i = 0; i < units.Count; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private static void Text(ITableCells cells, string? text)
    {
        if (text is null)
        {
            cells.Empty();
        }
        else
        {
            cells.Text(text);
        }
    }

    /// <summary>A row's cells as an array (text, decimal, or null when empty), for readers of the table as a list.</summary>
    private sealed class CellArray(int columns) : ITableCells
    {
        private int next;

        public object?[] Cells { get; } = new object?[columns];

        public void Text(string text) => Cells[next++] = text;

        public void Number(decimal value) => Cells[next++] = value;

        public void Empty() => next++;
    }
}
