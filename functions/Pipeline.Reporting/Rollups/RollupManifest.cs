namespace Pipeline.Reporting.Rollups;

/// <summary>What a rollup revision holds; stored beside its files and, for the latest, in the index row.</summary>
/// <param name="Scope">The area (prefecture or county code); null in manifests written before county rollups: the prefecture.</param>
public sealed record RollupManifest(
    string Date, int Revision, DateTimeOffset GeneratedAt, Completeness Completeness, IReadOnlyList<RollupFile> Files,
    string? Scope = null, bool Provisional = false);
