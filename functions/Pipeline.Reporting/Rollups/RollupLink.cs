namespace Pipeline.Reporting.Rollups;

/// <summary>A direct, read-only, short-lived link to one rollup file in Blob Storage.</summary>
public sealed record RollupLink(string Url, DateTimeOffset ExpiresAt);
