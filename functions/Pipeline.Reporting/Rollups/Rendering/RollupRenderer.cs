namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>What every renderer shares: the file in memory is the stream written into a buffer.</summary>
public abstract class RollupRenderer : IStreamingRollupRenderer
{
    public abstract string Format { get; }

    public abstract string Name { get; }

    public abstract string ContentType { get; }

    public abstract Task WriteAsync(RollupDocument rollup, Stream destination, CancellationToken cancellationToken);

    public RenderedFile Render(RollupDocument rollup)
    {
        using var buffer = new MemoryStream();
        // Into memory every write completes at once: nothing here waits on I/O.
        WriteAsync(rollup, buffer, CancellationToken.None).GetAwaiter().GetResult();
        return new RenderedFile(Format, Name, ContentType, buffer.ToArray());
    }
}
