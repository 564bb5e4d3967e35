using System.Text.Json;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>The machine format of spec section 5, camelCase, indented, streamed to its destination.</summary>
public sealed class JsonRollupRenderer : RollupRenderer, IIncrementalRollupRenderer
{
    private static readonly JsonSerializerOptions Indented = new(JsonDefaults.Web) { WriteIndented = true };

    public override string Format => "json";

    public override string Name => "rollup.json";

    public override string ContentType => "application/json; charset=utf-8";

    public override Task WriteAsync(RollupDocument rollup, Stream destination, CancellationToken cancellationToken) =>
        RollupJson.WriteAsync(rollup, destination, Indented, cancellationToken);

    public IIncrementalRollupFile Open(Stream destination) => new RollupJsonWriter(destination, Indented);
}
