using Pipeline.Reporting.Contacts;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Officials;

/// <summary>One township on the board: its status, its current report's receipt data, and whom to call.</summary>
public sealed record BoardUnit(
    AdminUnit Unit,
    string CountyCode,
    BoardStatus Status,
    DateTimeOffset? ReceivedAt,
    int? Revision,
    string? Receipt,
    IReadOnlyList<ReportWarning> Warnings,
    UnitContact Contact,
    string? EnteredBy,
    Exemption? Exemption);
