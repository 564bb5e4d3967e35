namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>A table of a rollup file: cells are text (string), numbers (decimal) or empty (null).</summary>
/// <param name="Emphasis">Rows (0-based, under the header) printed bold: totals, county headings.</param>
public sealed record RollupTable(
    string Name, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows, IReadOnlySet<int>? Emphasis = null)
{
    public bool IsEmphasised(int row) => Emphasis?.Contains(row) ?? false;

    /// <summary>Row <paramref name="row"/>'s cells into <paramref name="cells"/>; rows that can write themselves do, without their array.</summary>
    public void WriteRow(int row, ITableCells cells)
    {
        if (Rows is IWritableRows writable)
        {
            writable.Write(row, cells);
            return;
        }

        foreach (var cell in Rows[row])
        {
            switch (cell)
            {
                case decimal number:
                    cells.Number(number);
                    break;
                case string text:
                    cells.Text(text);
                    break;
                default:
                    cells.Empty();
                    break;
            }
        }
    }
}
