using Pipeline.Reporting.Batches;

namespace Pipeline.Functions.Http;

public sealed record BatchRowView(
    int Row,
    string? UnitCode,
    string? ReportDate,
    BatchRowOutcome Outcome,
    int? Revision,
    string? Receipt,
    IReadOnlyList<WarningView> Warnings,
    IReadOnlyDictionary<string, string[]> Errors);
