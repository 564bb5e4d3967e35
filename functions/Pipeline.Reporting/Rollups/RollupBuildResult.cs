namespace Pipeline.Reporting.Rollups;

/// <summary>What a build did: for the prefecture (<see cref="Created"/>, <see cref="Manifest"/>) and for every area.</summary>
public sealed record RollupBuildResult(bool Created, RollupManifest Manifest, IReadOnlyList<RollupAreaResult> Areas)
{
    public RollupAreaResult? For(string scope) => Areas.FirstOrDefault(a => a.Scope == scope);
}
