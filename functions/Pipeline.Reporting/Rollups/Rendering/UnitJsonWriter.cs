using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// One <see cref="UnitRollup"/> as the serializer writes it with the given options, byte for byte, written member by
/// member: a large area's JSON holds 100,000 units and more, and the serializer's own walk over each (its stack of frames,
/// an enumerator over the values' dictionary: 379 bytes of garbage a unit) cost more than the bytes. The names are the
/// serializer's (its contract, encoded once), in its order; members it leaves out (nulls) are left out; values, strings and
/// numbers go through the same writer calls the serializer's converters make. A member added to <see cref="UnitRollup"/>
/// or <see cref="ReportWarning"/> fails construction until it is written here too.
/// </summary>
public sealed class UnitJsonWriter
{
    private static readonly string[] UnitMembers =
    [
        nameof(UnitRollup.Code), nameof(UnitRollup.Name), nameof(UnitRollup.CountyCode), nameof(UnitRollup.Reported), nameof(UnitRollup.Late),
        nameof(UnitRollup.Revision), nameof(UnitRollup.Values), nameof(UnitRollup.Warnings), nameof(UnitRollup.Notes),
        nameof(UnitRollup.ReporterName), nameof(UnitRollup.ReporterPhone),
    ];

    private static readonly string[] WarningMembers =
        [nameof(ReportWarning.Indicator), nameof(ReportWarning.Rule), nameof(ReportWarning.Value), nameof(ReportWarning.Reference)];

    private readonly JsonSerializerOptions options;
    private readonly JsonEncodedText[] unit;
    private readonly JsonEncodedText[] warning;
    private readonly bool skipNulls;

    /// <summary>The values' keys as written, per slot of the slots last met (every unit of a build shares one).</summary>
    private (IndicatorSlots Slots, JsonEncodedText[] Keys)? keys;

    public UnitJsonWriter(JsonSerializerOptions options)
    {
        this.options = options;
        unit = Names(typeof(UnitRollup), UnitMembers);
        warning = Names(typeof(ReportWarning), WarningMembers);
        skipNulls = options.DefaultIgnoreCondition == JsonIgnoreCondition.WhenWritingNull;
    }

    public void Write(Utf8JsonWriter writer, UnitRollup rollup)
    {
        writer.WriteStartObject();
        String(writer, unit[0], rollup.Code);
        String(writer, unit[1], rollup.Name);
        String(writer, unit[2], rollup.CountyCode);
        writer.WriteBoolean(unit[3], rollup.Reported);
        writer.WriteBoolean(unit[4], rollup.Late);
        if (rollup.Revision is { } revision)
        {
            writer.WriteNumber(unit[5], revision);
        }
        else if (!skipNulls)
        {
            writer.WriteNull(unit[5]);
        }

        writer.WritePropertyName(unit[6]);
        Values(writer, rollup.Values);
        writer.WritePropertyName(unit[7]);
        writer.WriteStartArray();
        // By index: a foreach over the list's interface boxes an enumerator per unit.
        var warnings = rollup.Warnings;
        for (var i = 0; i < warnings.Count; i++)
        {
            var w = warnings[i];
            writer.WriteStartObject();
            String(writer, warning[0], w.Indicator);
            String(writer, warning[1], w.Rule);
            Number(writer, warning[2], w.Value);
            Number(writer, warning[3], w.Reference);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        String(writer, unit[8], rollup.Notes);
        String(writer, unit[9], rollup.ReporterName);
        String(writer, unit[10], rollup.ReporterPhone);
        writer.WriteEndObject();
    }

    private void Values(Utf8JsonWriter writer, IReadOnlyDictionary<string, decimal> values)
    {
        writer.WriteStartObject();
        if (values is UnitValues compact)
        {
            var names = KeysOf(compact.Slots);
            for (var i = 0; i < compact.Count; i++)
            {
                Number(writer, names[compact.SlotAt(i)], compact.ValueAt(i));
            }
        }
        else
        {
            foreach (var (key, value) in values)
            {
                writer.WriteNumber(options.DictionaryKeyPolicy?.ConvertName(key) ?? key, value);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// A decimal as the serializer writes it (its digits, its scale kept: 1.50 stays 1.50). A whole number of scale 0 (most
    /// figures) has the same text as its integer, written without the decimal's formatting; negative zero keeps the
    /// decimal's own.
    /// </summary>
    private static void Number(Utf8JsonWriter writer, JsonEncodedText name, decimal value)
    {
        if (WholeNumber.TryGet(value, out var magnitude, out var negative) && !(negative && magnitude == 0))
        {
            writer.WriteNumber(name, negative ? -(long)magnitude : magnitude);
        }
        else
        {
            writer.WriteNumber(name, value);
        }
    }

    private JsonEncodedText[] KeysOf(IndicatorSlots slots)
    {
        if (keys is not { } known || known.Slots != slots)
        {
            known = (slots, [.. slots.Keys.Select(k => JsonEncodedText.Encode(options.DictionaryKeyPolicy?.ConvertName(k) ?? k, options.Encoder))]);
            keys = known;
        }

        return known.Keys;
    }

    private void String(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
        else if (!skipNulls)
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>The serializer's names of <paramref name="type"/>'s members, in <paramref name="members"/>' order, which must be its own.</summary>
    private JsonEncodedText[] Names(Type type, string[] members)
    {
        var properties = options.GetTypeInfo(type).Properties;
        var declared = properties.Select(p => (p.AttributeProvider as MemberInfo)?.Name).ToArray();
        if (!declared.SequenceEqual(members))
        {
            throw new InvalidOperationException(
                $"{type.Name} serialises as {string.Join(", ", declared)}; {nameof(UnitJsonWriter)} writes {string.Join(", ", members)}.");
        }

        return [.. properties.Select(p => JsonEncodedText.Encode(p.Name, options.Encoder))];
    }
}
