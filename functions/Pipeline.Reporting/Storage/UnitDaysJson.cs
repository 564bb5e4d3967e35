using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// The <c>days</c> property of a unit's state row, read and written token by token:
/// <c>[{"d":"yyyyMMdd","ids":[{"r":1,"s":"submission","h":"hash"}],"v":[12,null,3.5]}]</c>, each day's values in the
/// order of the row's <c>keys</c>. Every report reads its unit's row and writes it again: at 45 days of a dozen values
/// (11 KB of JSON), through the serializer's records, that was 313 KB of garbage and about 230 us of CPU, here 93 KB
/// and 110 us (most of a row's values are nulls, and every day's values were a list of nullable decimals grown one by
/// one). The bytes are exactly the serializer's (default encoder, no indentation), so rows written before and after
/// read alike (<c>UnitStateTests</c> compares the two).
/// </summary>
internal static class UnitDaysJson
{
    private const int MaxStackSlots = 256;

    /// <summary>The longest a decimal prints (29 digits, a sign and a point), and a comma.</summary>
    private const int MaxNumberBytes = 32;

    /// <param name="slots">For each position of the row's <c>keys</c>, the catalogue's key there, or null for an indicator the catalogue no longer has.</param>
    public static List<UnitDay> Read(ReadOnlySpan<byte> json, string?[] slots)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartArray);
        var days = new List<UnitDay>();
        var values = slots.Length <= MaxStackSlots ? stackalloc decimal[slots.Length] : new decimal[slots.Length];
        var present = slots.Length <= MaxStackSlots ? stackalloc bool[slots.Length] : new bool[slots.Length];
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            days.Add(ReadDay(ref reader, slots, values, present));
        }

        Require(reader.TokenType == JsonTokenType.EndArray, ref reader);
        return days;
    }

    /// <param name="slots">The position of each of the catalogue's keys, the order each day's values are written in (<paramref name="slotCount"/> of them).</param>
    public static string Write(IReadOnlyList<UnitDay> days, IReadOnlyDictionary<string, int> slots, int slotCount)
    {
        using var buffer = new PooledBufferWriter(LengthAtMost(days, slotCount));
        var values = slotCount <= MaxStackSlots ? stackalloc decimal[slotCount] : new decimal[slotCount];
        var present = slotCount <= MaxStackSlots ? stackalloc bool[slotCount] : new bool[slotCount];
        var valuesText = slotCount <= MaxStackSlots ? stackalloc byte[2 + (slotCount * MaxNumberBytes)] : new byte[2 + (slotCount * MaxNumberBytes)];
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Span<byte> date = stackalloc byte[8];
            writer.WriteStartArray();
            // By index, not foreach: these are interfaces, and each foreach over one boxes an enumerator (about 6 KB a 45-day row).
            for (var d = 0; d < days.Count; d++)
            {
                var day = days[d];
                writer.WriteStartObject();
                WriteDate(day.Date, date);
                writer.WriteString("d"u8, date);
                writer.WriteStartArray("ids"u8);
                for (var i = 0; i < day.Revisions.Count; i++)
                {
                    var id = day.Revisions[i];
                    writer.WriteStartObject();
                    writer.WriteNumber("r"u8, id.Revision);
                    writer.WriteString("s"u8, id.SubmissionId);
                    writer.WriteString("h"u8, id.ContentHash);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                // A day holds a dozen of the catalogue's values: place those, rather than look up every key in the day.
                present.Clear();
                if (day.Values is Dictionary<string, decimal> dictionary)
                {
                    foreach (var (key, value) in dictionary)
                    {
                        Place(key, value, slots, values, present);
                    }
                }
                else
                {
                    foreach (var (key, value) in day.Values)
                    {
                        Place(key, value, slots, values, present);
                    }
                }

                writer.WritePropertyName("v"u8);
                writer.WriteRawValue(ValuesText(values, present, valuesText), skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// A day's values as the array the serializer writes (<c>[12,null,3.5]</c>), put together here: most of a row's
    /// values are nulls (a day reports a dozen of the catalogue's indicators), which the writer would check and
    /// separate one by one. A whole count goes through the integer formatter (the same digits for a decimal of scale
    /// 0); any other value through the decimal formatter the writer uses, so <c>12.0</c> stays <c>12.0</c>.
    /// </summary>
    private static ReadOnlySpan<byte> ValuesText(ReadOnlySpan<decimal> values, ReadOnlySpan<bool> present, Span<byte> text)
    {
        var length = 0;
        text[length++] = (byte)'[';
        for (var slot = 0; slot < values.Length; slot++)
        {
            if (slot > 0)
            {
                text[length++] = (byte)',';
            }

            int written;
            var value = values[slot];
            if (!present[slot])
            {
                "null"u8.CopyTo(text[length..]);
                written = 4;
            }
            else if (value.Scale == 0 && value >= long.MinValue && value <= long.MaxValue)
            {
                Utf8Formatter.TryFormat((long)value, text[length..], out written);
            }
            else
            {
                Utf8Formatter.TryFormat(value, text[length..], out written);
            }

            length += written;
        }

        text[length++] = (byte)']';
        return text[..length];
    }

    private static UnitDay ReadDay(ref Utf8JsonReader reader, string?[] slots, scoped Span<decimal> values, scoped Span<bool> present)
    {
        DateOnly? date = null;
        var revisions = new List<RevisionId>();
        present.Clear();
        var count = 0;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("d"u8))
            {
                Next(ref reader);
                date = ReadDate(ref reader);
            }
            else if (reader.ValueTextEquals("ids"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                while (Next(ref reader) == JsonTokenType.StartObject)
                {
                    revisions.Add(ReadRevision(ref reader));
                }
            }
            else if (reader.ValueTextEquals("v"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                for (var i = 0; Next(ref reader) != JsonTokenType.EndArray; i++)
                {
                    if (reader.TokenType == JsonTokenType.Null || i >= slots.Length || slots[i] is null)
                    {
                        continue;
                    }

                    // A whole count (most values) parses as an integer, several times faster, to the same decimal (scale 0).
                    values[i] = reader.TryGetInt64(out var whole) ? whole : reader.GetDecimal();
                    present[i] = true;
                    count++;
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        var map = new Dictionary<string, decimal>(count, StringComparer.Ordinal);
        for (var i = 0; i < present.Length; i++)
        {
            if (present[i])
            {
                map[slots[i]!] = values[i];
            }
        }

        Require(date is not null, ref reader);
        return new UnitDay(date!.Value, revisions, map);
    }

    /// <summary>
    /// About the length the row will have (a null is 5 bytes, a day's value up to 8 more, a hash is hex, a submission id
    /// is ASCII or short): the writer's buffer is allocated once at about the row's size, twice for a row of long
    /// non-ASCII submission ids (6 bytes a character once escaped).
    /// </summary>
    private static int LengthAtMost(IReadOnlyList<UnitDay> days, int slotCount)
    {
        var length = 2;
        for (var d = 0; d < days.Count; d++)
        {
            var day = days[d];
            length += 40 + (slotCount * 5) + (day.Values.Count * 8);
            for (var i = 0; i < day.Revisions.Count; i++)
            {
                var id = day.Revisions[i];
                length += 32 + (2 * (id.SubmissionId?.Length ?? 0)) + (id.ContentHash?.Length ?? 0);
            }
        }

        return length;
    }

    private static void Place(string key, decimal value, IReadOnlyDictionary<string, int> slots, Span<decimal> values, Span<bool> present)
    {
        if (slots.TryGetValue(key, out var slot))
        {
            values[slot] = value;
            present[slot] = true;
        }
    }

    /// <summary><c>yyyyMMdd</c>, digit by digit: the same as the culture's formatter, a fraction of its cost.</summary>
    private static void WriteDate(DateOnly date, Span<byte> text)
    {
        var number = (date.Year * 10_000) + (date.Month * 100) + date.Day;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            text[i] = (byte)('0' + (number % 10));
            number /= 10;
        }
    }

    /// <summary><c>yyyyMMdd</c>, digit by digit: the day of each of up to 46 days a row holds, without the culture's parser.</summary>
    private static DateOnly ReadDate(ref Utf8JsonReader reader)
    {
        var text = reader.ValueSpan;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || text.Length != 8 || text.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return ReportKeys.ParseDay(reader.GetString());
        }

        return new DateOnly(Digits(text[..4]), Digits(text[4..6]), Digits(text[6..]));
    }

    private static int Digits(ReadOnlySpan<byte> digits)
    {
        var number = 0;
        foreach (var digit in digits)
        {
            number = (number * 10) + (digit - '0');
        }

        return number;
    }

    private static RevisionId ReadRevision(ref Utf8JsonReader reader)
    {
        var revision = 0;
        string? submissionId = null;
        string? contentHash = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("r"u8))
            {
                Next(ref reader);
                revision = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("s"u8))
            {
                Next(ref reader);
                submissionId = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            }
            else if (reader.ValueTextEquals("h"u8))
            {
                Next(ref reader);
                contentHash = reader.GetString();
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        // As the serializer's record did: a missing hash is null, which no incoming report's hash equals.
        return new RevisionId(revision, submissionId, contentHash!);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        Require(reader.Read(), ref reader);
        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type) => Require(Next(ref reader) == type, ref reader);

    private static void Require(bool condition, ref Utf8JsonReader reader)
    {
        if (!condition)
        {
            throw new JsonException($"A unit's state row has unreadable days at byte {reader.BytesConsumed}.");
        }
    }
}
