namespace Pipeline.Reporting.Rollups;

/// <summary>
/// What a build did for one area: whether it made a new revision, the area's latest manifest, and its index row as the
/// build wrote it (stale only if a stale mark met the save: reports since are the index's to find, <see cref="RollupIndex.GetAsync"/>).
/// </summary>
public sealed record RollupAreaResult(string Scope, bool Created, RollupManifest Manifest, RollupIndexEntry Entry);
