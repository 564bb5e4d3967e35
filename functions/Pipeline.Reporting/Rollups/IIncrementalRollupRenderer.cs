namespace Pipeline.Reporting.Rollups;

/// <summary>
/// A renderer that can write its file while the area's units are still coming (<see cref="IIncrementalRollupFile"/>): a
/// large area's file goes out while its counties are being read, instead of after.
/// </summary>
public interface IIncrementalRollupRenderer : IStreamingRollupRenderer
{
    /// <summary>A file written into <paramref name="destination"/> step by step.</summary>
    IIncrementalRollupFile Open(Stream destination);
}
