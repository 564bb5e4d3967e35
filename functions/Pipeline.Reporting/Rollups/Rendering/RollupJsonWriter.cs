using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// A rollup document as JSON, written in three steps so that a large area's file can go out while its counties are still
/// being read: the members known before the read (<see cref="StartAsync"/>), the units in pieces as they come
/// (<see cref="UnitsAsync"/>), then the members that need the whole day (<see cref="EndAsync"/>). The bytes are exactly
/// <see cref="JsonSerializer"/>'s for the same options: the members, their order (<see cref="RollupDocument.UnitsOrder"/>)
/// and names come from the serializer's own contract, and every value but the unit list is written by the serializer (the units by <see cref="UnitJsonWriter"/>, to the same bytes).
/// Nothing larger than a flush is ever held.
/// </summary>
/// <remarks>
/// The writer writes into a buffer, never into the stream: the serializer flushes its writer after every value, and a
/// flush into the stream would be a synchronous write to the storage. The buffer goes out asynchronously.
/// </remarks>
public sealed class RollupJsonWriter : IIncrementalRollupFile
{
    /// <summary>
    /// Bytes the writer holds before they go to the stream. Its buffer (twice this) stays below the large-object heap's
    /// threshold (85,000 bytes): garbage of gen 0.
    /// </summary>
    private const int FlushAt = 32 * 1024;

    private readonly Stream destination;
    private readonly JsonSerializerOptions options;
    private readonly ArrayBufferWriter<byte> buffer = new(FlushAt * 2);
    private readonly Utf8JsonWriter writer;
    private readonly IReadOnlyList<JsonPropertyInfo> head;
    private readonly JsonPropertyInfo units;
    private readonly UnitJsonWriter unitWriter;
    private readonly IReadOnlyList<JsonPropertyInfo> tail;
    private byte[]? headBytes;

    public RollupJsonWriter(Stream destination, JsonSerializerOptions options)
    {
        this.destination = destination;
        this.options = options;
        writer = new Utf8JsonWriter(buffer, WriterOptions(options));
        var properties = options.GetTypeInfo(typeof(RollupDocument)).Properties;
        var at = properties.ToList().FindIndex(p => p.PropertyType == typeof(IReadOnlyList<UnitRollup>));
        (head, units, tail) = ([.. properties.Take(at)], properties[at], [.. properties.Skip(at + 1)]);
        unitWriter = new UnitJsonWriter(options);
    }

    /// <summary>Writes the members before the units and opens the unit list. Only those members of <paramref name="start"/> are written.</summary>
    public ValueTask StartAsync(RollupDocument start, CancellationToken cancellationToken)
    {
        WriteStart(start);
        return FlushAsync(cancellationToken);
    }

    /// <summary>Writes the next units; all of them are in the stream when it returns (a county's units leave with it).</summary>
    public async ValueTask UnitsAsync(IEnumerable<UnitRollup> next, CancellationToken cancellationToken)
    {
        foreach (var unit in next)
        {
            WriteUnit(unit);
            if (Full)
            {
                await FlushAsync(cancellationToken);
            }
        }

        await FlushAsync(cancellationToken);
    }

    /// <summary>Closes the unit list and writes the members after it, from <paramref name="document"/>, whose members before the units must be the ones written.</summary>
    public async ValueTask EndAsync(RollupDocument document, CancellationToken cancellationToken)
    {
        if (headBytes is null || !HeadOf(document).AsSpan().SequenceEqual(headBytes))
        {
            throw new InvalidOperationException("The document's members before its units are not the ones written at its start.");
        }

        writer.WriteEndArray();
        foreach (var _ in Members(writer, document, tail))
        {
            await FlushAsync(cancellationToken);
        }

        writer.WriteEndObject();
        await FlushAsync(cancellationToken);
    }

    /// <summary>The whole document, synchronously (into memory or a hash).</summary>
    public void Write(RollupDocument document)
    {
        WriteStart(document);
        Flush();
        foreach (var unit in document.Units)
        {
            WriteUnit(unit);
            if (Full)
            {
                Flush();
            }
        }

        writer.WriteEndArray();
        foreach (var _ in Members(writer, document, tail))
        {
            Flush();
        }

        writer.WriteEndObject();
        Flush();
    }

    /// <summary>The whole document, each step as the file's writer takes it.</summary>
    public async ValueTask WriteAsync(RollupDocument document, CancellationToken cancellationToken)
    {
        await StartAsync(document, cancellationToken);
        await UnitsAsync(document.Units, cancellationToken);
        await EndAsync(document, cancellationToken);
    }

    public void Dispose() => writer.Dispose();

    /// <summary>One unit as the serializer writes it (<see cref="UnitJsonWriter"/>): the per-value work of the file (its formatting) lives there alone.</summary>
    private void WriteUnit(UnitRollup unit) => unitWriter.Write(writer, unit);

    private static JsonWriterOptions WriterOptions(JsonSerializerOptions options) => new()
    {
        Encoder = options.Encoder,
        Indented = options.WriteIndented,
        IndentCharacter = options.IndentCharacter,
        IndentSize = options.IndentSize,
        NewLine = options.NewLine,
        MaxDepth = options.MaxDepth,
    };

    private bool Full => buffer.WrittenCount + writer.BytesPending >= FlushAt;

    private void WriteStart(RollupDocument start)
    {
        if (headBytes is not null)
        {
            throw new InvalidOperationException("The document is already started.");
        }

        headBytes = HeadOf(start);
        writer.WriteStartObject();
        foreach (var _ in Members(writer, start, head))
        {
        }

        writer.WritePropertyName(units.Name);
        writer.WriteStartArray();
    }

    /// <summary>The members before the units as written (a few hundred bytes): what the start and the end must agree on.</summary>
    private byte[] HeadOf(RollupDocument document)
    {
        var written = new ArrayBufferWriter<byte>(1024);
        using (var headWriter = new Utf8JsonWriter(written, WriterOptions(options)))
        {
            headWriter.WriteStartObject();
            foreach (var _ in Members(headWriter, document, head))
            {
            }
        }

        return written.WrittenSpan.ToArray();
    }

    /// <summary>Writes each member of <paramref name="properties"/> the serializer would write, yielding whenever the buffer holds enough to flush.</summary>
    private IEnumerable<bool> Members(Utf8JsonWriter writer, RollupDocument document, IReadOnlyList<JsonPropertyInfo> properties)
    {
        foreach (var property in properties)
        {
            var value = property.Get!(document);
            if (Skipped(property, document, value))
            {
                continue;
            }

            writer.WritePropertyName(property.Name);
            JsonSerializer.Serialize(writer, value, property.PropertyType, options);
            if (writer == this.writer && Full)
            {
                yield return true;
            }
        }
    }

    private bool Skipped(JsonPropertyInfo property, RollupDocument document, object? value) =>
        (value is null && options.DefaultIgnoreCondition == JsonIgnoreCondition.WhenWritingNull)
        || (property.ShouldSerialize is { } should && !should(document, value));

    private void Flush()
    {
        writer.Flush();
        destination.Write(buffer.WrittenSpan);
        buffer.ResetWrittenCount();
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        writer.Flush();
        if (buffer.WrittenCount == 0)
        {
            return;
        }

        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken);
        buffer.ResetWrittenCount();
    }
}
