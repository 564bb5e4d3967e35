using System.IO.Compression;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// A rollup file as its blob holds it, being read: its content as stored (gzip-encoded where <see cref="Gzipped"/>, as the
/// JSON and CSV are since <see cref="RollupEncoding"/>; files stored before that are plain), its Content-Type and size.
/// </summary>
public sealed record StoredRollupFile(Stream Content, string ContentType, string? ContentEncoding, long StoredBytes) : IAsyncDisposable
{
    public bool Gzipped => string.Equals(ContentEncoding, BlobCreateStream.Gzip, StringComparison.OrdinalIgnoreCase);

    /// <summary>The file itself, decoded as it is read where it is stored encoded. Read it once, instead of <see cref="Content"/>.</summary>
    public Stream Decoded() => Gzipped ? new GZipStream(Content, CompressionMode.Decompress) : Content;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
