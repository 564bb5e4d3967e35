using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Officials;

/// <summary>Who has reported on a day in an area: per county and per township, missing ones first.</summary>
/// <param name="Editable">Within the correction window: officials may still enter reports and exemptions for the day.</param>
public sealed record Board(DateOnly Date, AdminUnit Scope, bool Editable, BoardCounty Total, IReadOnlyList<BoardCounty> Counties, IReadOnlyList<BoardUnit> Units);
