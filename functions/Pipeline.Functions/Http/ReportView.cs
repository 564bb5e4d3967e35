namespace Pipeline.Functions.Http;

/// <summary>A stored report read back: the submitted shape plus what the server added.</summary>
public sealed record ReportView(
    string UnitCode,
    string ReportDate,
    IReadOnlyDictionary<string, decimal> Values,
    string Notes,
    ReporterView Reporter,
    int Revision,
    DateTimeOffset ReceivedAt,
    bool Late,
    string Receipt,
    IReadOnlyList<WarningView> Warnings,
    string? EnteredBy = null);
