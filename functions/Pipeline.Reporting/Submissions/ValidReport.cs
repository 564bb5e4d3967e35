namespace Pipeline.Reporting.Submissions;

/// <summary>A report that passed every hard rule: known unit, accepted date, values within bounds.</summary>
public sealed record ValidReport(
    string UnitCode,
    DateOnly ReportDate,
    string? SubmissionId,
    IReadOnlyDictionary<string, decimal> Values,
    string Notes,
    string ReporterName,
    string ReporterPhone);
