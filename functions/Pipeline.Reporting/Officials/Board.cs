using Pipeline.Reporting.Contacts;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Officials;

/// <summary>A township's state on a day, in the order the board lists them: whom to chase first.</summary>
public enum BoardStatus
{
    Missing,
    Late,
    OnTime,
    Exempt,
}

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

/// <summary>A county's counts: exempt units are not expected (and not missing), unless they reported anyway.</summary>
public sealed record BoardCounty(AdminUnit County, int Expected, int Reported, int OnTime, int Late, int Missing, int Exempt)
{
    public static BoardCounty Of(AdminUnit county, IReadOnlyCollection<BoardUnit> units) => new(
        county,
        units.Count(u => u.Status != BoardStatus.Exempt),
        units.Count(u => u.Status is BoardStatus.OnTime or BoardStatus.Late),
        units.Count(u => u.Status == BoardStatus.OnTime),
        units.Count(u => u.Status == BoardStatus.Late),
        units.Count(u => u.Status == BoardStatus.Missing),
        units.Count(u => u.Status == BoardStatus.Exempt));
}

/// <summary>Who has reported on a day in an area: per county and per township, missing ones first.</summary>
/// <param name="Editable">Within the correction window: officials may still enter reports and exemptions for the day.</param>
public sealed record Board(DateOnly Date, AdminUnit Scope, bool Editable, BoardCounty Total, IReadOnlyList<BoardCounty> Counties, IReadOnlyList<BoardUnit> Units);
