namespace Pipeline.Reporting.Batches;

public enum BatchFormat
{
    Json,
    Csv,
}
