namespace Pipeline.Reporting.Rollups;

/// <summary>
/// What a file needs to know of all of an area's units before it can write its first one (a workbook's column widths
/// precede its rows), taken as the units come, in pieces, while the area is still being read.
/// </summary>
public interface IRollupMeasure
{
    void Add(IReadOnlyList<UnitRollup> units);
}
