namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// The machine format of spec section 5, camelCase, streamed to its destination. Compact, without indentation: it is read
/// by programs, and indentation made the prefecture's file about twice its size at 100,000 units, bytes every build
/// serialised, uploaded and stored for no reader (<see cref="JsonDefaults.Web"/> does not indent).
/// </summary>
public sealed class JsonRollupRenderer : RollupRenderer, IIncrementalRollupRenderer
{
    public override string Format => "json";

    public override string Name => "rollup.json";

    public override string ContentType => "application/json; charset=utf-8";

    public override async Task WriteAsync(RollupDocument rollup, Stream destination, CancellationToken cancellationToken)
    {
        using var writer = new RollupJsonWriter(destination, JsonDefaults.Web);
        await writer.WriteAsync(rollup, cancellationToken);
    }

    public IIncrementalRollupFile Open(Stream destination) => new RollupJsonWriter(destination, JsonDefaults.Web);
}
