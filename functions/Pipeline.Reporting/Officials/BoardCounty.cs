using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Officials;

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
