namespace Pipeline.Reporting.Batches;

/// <summary>
/// One CSV record: the file line it starts on (1-based; blank lines and line breaks inside quoted cells count), its
/// cells (none when only counted), whether every cell is blank, and whether a cell that counts as filling it in
/// (see <see cref="CsvRecordReader.Read"/>) is not.
/// </summary>
public sealed record CsvRecord(int Line, string[] Cells, bool IsBlank, bool IsFilled)
{
    /// <summary>Whether a cell fills its record in: it is not blank, and <paramref name="fills"/> counts its column (every column when null).</summary>
    public static bool Fills(bool blank, int index, Func<int, bool>? fills) => !blank && (fills?.Invoke(index) ?? true);

    /// <summary>Whether one of its cells fills this record in by <paramref name="fills"/>: for a record read before they were known.</summary>
    public bool IsFilledBy(Func<int, bool> fills)
    {
        for (var i = 0; i < Cells.Length; i++)
        {
            if (Fills(string.IsNullOrWhiteSpace(Cells[i]), i, fills))
            {
                return true;
            }
        }

        return false;
    }
}
