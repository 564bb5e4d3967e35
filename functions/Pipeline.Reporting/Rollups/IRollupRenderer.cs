namespace Pipeline.Reporting.Rollups;

/// <summary>Turns a rollup document into one download format.</summary>
public interface IRollupRenderer
{
    RenderedFile Render(RollupDocument rollup);
}
