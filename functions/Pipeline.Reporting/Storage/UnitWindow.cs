namespace Pipeline.Reporting.Storage;

/// <summary>What one read of a unit's revisions gives a submission: the day's revisions and the days before.</summary>
public sealed record UnitWindow(IReadOnlyList<StoredReport> Revisions, IReadOnlyList<StoredReport> History);
