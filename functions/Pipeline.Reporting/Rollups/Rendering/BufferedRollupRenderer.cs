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

    public override async Task WriteAsync(RollupDocument rollup, Stream destination, CancellationToken cancellationToken)
    {
        await using var buffer = buffers.GetStream(Name);
        Write(rollup, buffer);
        buffer.Position = 0;
        await buffer.CopyToAsync(destination, cancellationToken);
    }
}
