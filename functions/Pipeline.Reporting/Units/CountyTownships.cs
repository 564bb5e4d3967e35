namespace Pipeline.Reporting.Units;

/// <summary>A county and the townships under it that an area holds, in code order.</summary>
public sealed record CountyTownships(AdminUnit County, IReadOnlyList<AdminUnit> Townships);
