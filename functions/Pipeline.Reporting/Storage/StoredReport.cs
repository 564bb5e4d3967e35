using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Storage;

/// <summary>One revision of one unit's report for one day, as stored. Absent values were not reported.</summary>
/// <param name="SubmitterRole">The role of the token that sent it (<c>official</c> for a report phoned in); empty for revisions stored before it was kept.</param>
public sealed record StoredReport(
    string UnitCode,
    DateOnly ReportDate,
    int Revision,
    string? SubmissionId,
    IReadOnlyDictionary<string, decimal> Values,
    string Notes,
    string ReporterName,
    string ReporterPhone,
    DateTimeOffset ReceivedAt,
    bool Late,
    string Receipt,
    IReadOnlyList<ReportWarning> Warnings,
    string ContentHash,
    string SubmittedBy,
    string SubmitterRole = "");
