namespace Pipeline.Reporting.Batches;

public enum BatchFormat
{
    Json,
    Csv,

    /// <summary>The CSV's columns and rows as the first worksheet of an Excel workbook (.xlsx).</summary>
    Xlsx,
}
