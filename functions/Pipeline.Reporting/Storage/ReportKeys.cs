using System.Globalization;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Table keys. Current reports: PartitionKey <c>yyyyMMdd_countyCode</c>, RowKey <c>unitCode</c>, so writes spread
/// over counties and a day's rollup reads one partition per county. Revisions: PartitionKey <c>unitCode</c>,
/// RowKey <c>yyyyMMdd_rrrr</c>, so a unit's history is one range read. Codes reach these keys only after
/// the registry has vouched for them.
/// </summary>
public static class ReportKeys
{
    public static string Day(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDay(string? day) =>
        DateOnly.ParseExact(day ?? "", "yyyyMMdd", CultureInfo.InvariantCulture);

    public static string CurrentPartition(DateOnly date, string countyCode) => $"{Day(date)}_{countyCode}";

    public static string RevisionRow(DateOnly date, int revision) =>
        $"{Day(date)}_{revision.ToString("D4", CultureInfo.InvariantCulture)}";

    /// <summary>The row-key range of every revision of one day: [<c>yyyyMMdd_</c>, <c>yyyyMMdd`</c>).</summary>
    public static (string From, string To) RevisionRange(DateOnly date) => ($"{Day(date)}_", $"{Day(date)}`");
}
