using Azure;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// One built day in the rollup index: its latest revision, whether it is stale, and its daily totals.
/// <see cref="ChangeMarks"/> is the fingerprint of the day marks its build read (<see cref="DayChangeMarks"/>).
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
    string ChangeMarks = "");
