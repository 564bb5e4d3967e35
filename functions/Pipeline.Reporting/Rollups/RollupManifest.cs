namespace Pipeline.Reporting.Rollups;

/// <summary>One file of a rollup revision, with its size and SHA-256 (lowercase hex).</summary>
public sealed record RollupFile(string Format, string Name, string ContentType, long Bytes, string Sha256);

/// <summary>What a rollup revision holds; stored beside its files and, for the latest, in the index row.</summary>
/// <param name="Scope">The area (prefecture or county code); null in manifests written before county rollups: the prefecture.</param>
public sealed record RollupManifest(
    string Date, int Revision, DateTimeOffset GeneratedAt, Completeness Completeness, IReadOnlyList<RollupFile> Files,
    string? Scope = null, bool Provisional = false);

/// <summary>A rendered file, before it is stored.</summary>
public sealed record RenderedFile(string Format, string Name, string ContentType, byte[] Content);

/// <summary>Turns a rollup document into one download format.</summary>
public interface IRollupRenderer
{
    RenderedFile Render(RollupDocument rollup);
}
