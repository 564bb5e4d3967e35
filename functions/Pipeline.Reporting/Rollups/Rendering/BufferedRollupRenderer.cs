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
        using var buffer = new MemoryStream();
        Write(rollup, buffer);
        // The written bytes as they lie in the buffer, whether or not the library closed it.
        buffer.TryGetBuffer(out var written);
        await destination.WriteAsync(written, cancellationToken);
    }
}
