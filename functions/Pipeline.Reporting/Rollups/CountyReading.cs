namespace Pipeline.Reporting.Rollups;

/// <summary>
/// One county's day as its rows streamed in, composed on the way: its summary row, its units (values held compactly),
/// the ones missing, and, when the previous day was read along, that day's completeness and the like-for-like changes
/// (the previous day's rows themselves are gone once the county is read).
/// </summary>
public sealed record CountyReading(
    CountyRollup County,
    IReadOnlyList<UnitRollup> Units,
    IReadOnlyList<MissingUnit> Missing,
    IndicatorSums Totals,
    CompletenessCounts Previous,
    IndicatorSums Changes);
