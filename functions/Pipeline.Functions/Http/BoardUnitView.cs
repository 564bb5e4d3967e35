using Pipeline.Reporting.Officials;

namespace Pipeline.Functions.Http;

public sealed record BoardUnitView(
    string Code,
    string Name,
    string CountyCode,
    string Status,
    DateTimeOffset? ReceivedAt,
    int? Revision,
    string? Receipt,
    IReadOnlyList<WarningView> Warnings,
    string? ContactName,
    string? ContactPhone,
    string ContactSource,
    string? EnteredBy,
    ExemptionView? Exemption);
