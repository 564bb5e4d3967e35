namespace Pipeline.Reporting.Rollups;

/// <summary>What a build did for one area: whether it made a new revision, and the area's latest manifest.</summary>
public sealed record RollupAreaResult(string Scope, bool Created, RollupManifest Manifest);
