using System.Text.Json;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>The machine format of spec section 5, camelCase, indented.</summary>
public sealed class JsonRollupRenderer : IRollupRenderer
{
    private static readonly JsonSerializerOptions Indented = new(JsonDefaults.Web) { WriteIndented = true };

    public RenderedFile Render(RollupDocument rollup) =>
        new("json", "rollup.json", "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(rollup, Indented));
}
