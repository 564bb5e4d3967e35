namespace Pipeline.Reporting.Rollups;

/// <summary>
/// Which rollup files are stored gzip-encoded: the text formats (JSON, CSV), several times smaller to upload, keep and
/// download. XLSX and PDF are compressed inside already; the manifest is small.
/// </summary>
public static class RollupEncoding
{
    public static bool StoredGzip(string format) => format is "json" or "csv";
}
