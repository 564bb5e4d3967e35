using Pipeline.Reporting.Rollups;

namespace Pipeline.Functions.Http;

/// <summary>A rollup manifest as the API shows it: <c>stale</c> is live, <c>url</c> is the download route of that revision.</summary>
public sealed record RollupManifestView(
    string Date, string Scope, string ScopeName, int Revision, DateTimeOffset GeneratedAt, bool Stale, bool Latest, bool Provisional,
    Completeness Completeness, IReadOnlyList<RollupFileView> Files);
