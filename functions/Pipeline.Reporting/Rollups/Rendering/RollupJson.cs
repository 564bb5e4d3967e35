using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// A rollup document as JSON, written property by property with <see cref="Utf8JsonWriter"/> and its units one at a
/// time, flushed as it goes: a large area's document (tens of megabytes) is never held as one string or array. The
/// bytes are exactly <see cref="JsonSerializer"/>'s for the same options: the properties, their order and names come
/// from the serializer's own contract, and every value but the unit list is written by the serializer.
/// </summary>
public static class RollupJson
{
    /// <summary>
    /// Bytes a writer holds before they go to the stream. Its buffer (twice this) stays below the large-object heap's
    /// threshold (85,000 bytes): two are made per area and build (the file and the content hash), garbage of gen 0.
    /// </summary>
    private const int FlushAt = 32 * 1024;

    public static void Write(RollupDocument rollup, Stream destination, JsonSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushAt * 2);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions(options));
        foreach (var _ in Steps(writer, buffer, rollup, options))
        {
            writer.Flush();
            destination.Write(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
        }
    }

    /// <remarks>
    /// The writer writes into a buffer, never into the stream: the serializer flushes its writer after every value, and
    /// a flush into the stream would be a synchronous write to the storage. The buffer goes out asynchronously.
    /// </remarks>
    public static async Task WriteAsync(RollupDocument rollup, Stream destination, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushAt * 2);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions(options));
        foreach (var _ in Steps(writer, buffer, rollup, options))
        {
            writer.Flush();
            await destination.WriteAsync(buffer.WrittenMemory, cancellationToken);
            buffer.ResetWrittenCount();
        }
    }

    private static JsonWriterOptions WriterOptions(JsonSerializerOptions options) => new()
    {
        Encoder = options.Encoder,
        Indented = options.WriteIndented,
        IndentCharacter = options.IndentCharacter,
        IndentSize = options.IndentSize,
        NewLine = options.NewLine,
        MaxDepth = options.MaxDepth,
    };

    /// <summary>Writes the document, yielding whenever the writer holds enough to flush, and once at the end.</summary>
    private static IEnumerable<bool> Steps(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, RollupDocument rollup, JsonSerializerOptions options)
    {
        var contract = options.GetTypeInfo(typeof(RollupDocument));
        writer.WriteStartObject();
        foreach (var property in contract.Properties)
        {
            var value = property.Get!(rollup);
            if (Skipped(property, rollup, value, options))
            {
                continue;
            }

            writer.WritePropertyName(property.Name);
            if (value is IReadOnlyList<UnitRollup> units)
            {
                writer.WriteStartArray();
                foreach (var unit in units)
                {
                    JsonSerializer.Serialize(writer, unit, options);
                    if (buffer.WrittenCount + writer.BytesPending >= FlushAt)
                    {
                        yield return true;
                    }
                }

                writer.WriteEndArray();
            }
            else
            {
                JsonSerializer.Serialize(writer, value, property.PropertyType, options);
            }

            if (buffer.WrittenCount + writer.BytesPending >= FlushAt)
            {
                yield return true;
            }
        }

        writer.WriteEndObject();
        yield return true;
    }

    private static bool Skipped(JsonPropertyInfo property, RollupDocument rollup, object? value, JsonSerializerOptions options) =>
        (value is null && options.DefaultIgnoreCondition == JsonIgnoreCondition.WhenWritingNull)
        || (property.ShouldSerialize is { } should && !should(rollup, value));
}
