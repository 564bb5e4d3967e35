namespace Pipeline.Reporting.Rollups;

/// <summary>
/// A renderer whose file needs a pass over every unit before it writes (<see cref="IRollupMeasure"/>): a large area's
/// pass is made while its counties are read, and the file after the read is written with it, the same file either way.
/// </summary>
public interface IMeasuredRollupRenderer : IStreamingRollupRenderer
{
    /// <summary>A measure of the units of an area whose document starts as <paramref name="start"/> (its units to come).</summary>
    IRollupMeasure Measure(RollupDocument start);

    /// <summary>Writes the file of <paramref name="rollup"/>, whose units are the ones <paramref name="measure"/> was given, in their order.</summary>
    Task WriteAsync(RollupDocument rollup, IRollupMeasure measure, Stream destination, CancellationToken cancellationToken);
}
