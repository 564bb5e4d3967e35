namespace Pipeline.Reporting.Rollups;

/// <summary>A renderer that writes its file straight into the blob being uploaded, front to back, never holding it whole.</summary>
public interface IStreamingRollupRenderer : IRollupRenderer
{
    string Format { get; }

    string Name { get; }

    string ContentType { get; }

    Task WriteAsync(RollupDocument rollup, Stream destination, CancellationToken cancellationToken);
}
