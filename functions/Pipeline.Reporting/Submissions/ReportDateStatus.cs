namespace Pipeline.Reporting.Submissions;

/// <summary>How a report date's text reads: missing, not a yyyy-MM-dd date, a yyyy-MM-dd day the calendar lacks, or a real day.</summary>
public enum ReportDateStatus
{
    Missing,
    Malformed,
    NoSuchDay,
    Valid,
}
