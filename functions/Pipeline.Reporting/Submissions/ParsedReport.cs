using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Submissions;

/// <summary>A parsed report and the fields that could not be read.</summary>
public sealed record ParsedReport(ReportInput Input, IReadOnlyList<FieldError> Errors);
