using System.Text.Json;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// A whole rollup document as JSON, streamed (<see cref="RollupJsonWriter"/>): a large area's document (tens of megabytes)
/// is never held as one string or array, and the bytes are exactly <see cref="JsonSerializer"/>'s for the same options.
/// </summary>
public static class RollupJson
{
    public static void Write(RollupDocument rollup, Stream destination, JsonSerializerOptions options)
    {
        using var writer = new RollupJsonWriter(destination, options);
        writer.Write(rollup);
    }

    public static async Task WriteAsync(RollupDocument rollup, Stream destination, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        using var writer = new RollupJsonWriter(destination, options);
        await writer.WriteAsync(rollup, cancellationToken);
    }
}
