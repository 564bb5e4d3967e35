namespace Pipeline.Reporting.Rollups;

/// <summary>One file of a rollup revision, with its size and SHA-256 (lowercase hex).</summary>
public sealed record RollupFile(string Format, string Name, string ContentType, long Bytes, string Sha256);
