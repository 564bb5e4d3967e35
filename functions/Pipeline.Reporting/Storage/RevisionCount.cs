namespace Pipeline.Reporting.Storage;

/// <summary>
/// How many revisions of one day of one county a read met whose storage <c>Timestamp</c> is at or after
/// <see cref="Since"/> (the storage's clock, never the app's): what a rollup build records of its read, so that a
/// later count of the same rows (<see cref="ReportStore.CountRevisionsSinceAsync"/>) that finds more says the build
/// missed one. Revisions are insert-only, so the rows counted then are all among those counted later.
/// </summary>
public sealed class RevisionCount(DateTimeOffset since)
{
    private int count;

    public DateTimeOffset Since { get; } = since;

    public int Count => Volatile.Read(ref count);

    /// <summary>Counts a revision read if storage stamped it at or after <see cref="Since"/>.</summary>
    public void Saw(DateTimeOffset? timestamp)
    {
        // A row without one is not counted: fewer here can only make a later count look larger (a spurious rebuild), never hide a row.
        if (timestamp is { } stamped && stamped >= Since)
        {
            Interlocked.Increment(ref count);
        }
    }
}
