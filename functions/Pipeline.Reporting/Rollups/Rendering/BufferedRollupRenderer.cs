namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// A renderer whose library writes synchronously into a seekable stream (the OpenXML package, PDFsharp, CsvHelper's
/// writer): the file is made in memory, then copied to its destination.
/// </summary>
public abstract class BufferedRollupRenderer : RollupRenderer
{
    protected abstract void Write(RollupDocument rollup, Stream buffer);

    public override async Task WriteAsync(RollupDocument rollup, Stream destination, CancellationToken cancellationToken)
    {
        // In small pooled segments: a MemoryStream's doubling arrays are large objects, garbage only a full collection frees.
        using var buffer = new SegmentedBuffer();
        Write(rollup, buffer);
        await buffer.WriteToAsync(destination, cancellationToken);
    }
}
