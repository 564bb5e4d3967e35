using Azure;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// One built day in the rollup index: its latest revision, whether it is stale, and its daily totals.
/// <see cref="ReadFrom"/> and <see cref="ReadCount"/> are what its build read (<see cref="ReadWindow"/>): the day's revisions
/// of the area's counties that storage stamped at or after <see cref="ReadFrom"/>, <see cref="ReadCount"/> of them. A row
/// written before the window existed has no <see cref="ReadFrom"/>: as if its build had read no revision at all.
/// </summary>
public sealed record RollupIndexEntry(
    DateOnly Date,
    string Scope,
    int LatestRevision,
    bool Stale,
    string ContentHash,
    IReadOnlyDictionary<string, decimal> Totals,
    RollupManifest Manifest,
    ETag ETag,
    DateTimeOffset? ReadFrom = null,
    int ReadCount = 0);
