namespace Pipeline.Reporting.Batches;

/// <summary>
/// One CSV record: the file line it starts on (1-based; blank lines and line breaks inside quoted cells count), its
/// cells (none when only counted), whether every cell is blank, and whether a cell that counts as filling it in
/// (see <see cref="CsvRecordReader.Read"/>) is not.
/// </summary>
public sealed record CsvRecord(int Line, string[] Cells, bool IsBlank, bool IsFilled);
