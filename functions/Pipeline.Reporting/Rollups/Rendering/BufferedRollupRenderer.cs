using Microsoft.IO;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// A renderer whose library writes synchronously into a seekable stream (the OpenXML package, PDFsharp, CsvHelper's
/// writer): the file is made in memory, in the pool's small blocks (<see cref="RollupBufferPool"/>), then copied to its
/// destination.
/// </summary>
public abstract class BufferedRollupRenderer(RecyclableMemoryStreamManager buffers) : RollupRenderer
{
    protected abstract void Write(RollupDocument rollup, Stream buffer);

    public override Task WriteAsync(RollupDocument rollup, Stream destination, CancellationToken cancellationToken) =>
        WriteBufferedAsync(buffer => Write(rollup, buffer), destination, cancellationToken);

    /// <summary>What <paramref name="write"/> writes into a buffer of the pool, then copied to <paramref name="destination"/>.</summary>
    protected async Task WriteBufferedAsync(Action<Stream> write, Stream destination, CancellationToken cancellationToken)
    {
        await using var buffer = buffers.GetStream(Name);
        write(buffer);
        buffer.Position = 0;
        await buffer.CopyToAsync(destination, cancellationToken);
    }
}
