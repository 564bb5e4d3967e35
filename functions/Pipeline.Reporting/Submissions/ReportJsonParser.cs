using System.Runtime.InteropServices;
using System.Text.Json;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Submissions;

/// <summary>
/// Reads a JSON report into a <see cref="ReportInput"/>, naming every field that is of the wrong type or
/// not part of a report, so that one 400 lists them all together with the rule failures.
/// </summary>
public static class ReportJsonParser
{
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16, AllowTrailingCommas = false };

    /// <summary>Parses a whole body; throws <see cref="JsonException"/> when it is not JSON at all.</summary>
    public static ParsedReport Parse(ReadOnlyMemory<byte> body)
    {
        using var document = ParseDocument(body);
        return Parse(document.RootElement, fieldPrefix: "");
    }

    /// <summary>
    /// Parses a body (a report or a batch) as JSON whose every name and string can be read. JsonDocument accepts
    /// invalid UTF-8 and escaped lone surrogates (<c>"\ud800"</c>) inside strings and only fails when one is
    /// read, deep in the rules or in the batch worker; here they are a <see cref="JsonException"/> (a 400).
    /// </summary>
    public static JsonDocument ParseDocument(ReadOnlyMemory<byte> body)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            throw new JsonException("The body is not valid UTF-8.");
        }

        var document = JsonDocument.Parse(body, DocumentOptions);
        try
        {
            EnsureReadable(document.RootElement);
            return document;
        }
        catch (InvalidOperationException e)
        {
            document.Dispose();
            throw new JsonException("The body holds text that is not valid Unicode (an escaped lone surrogate).", e);
        }
    }

    private static void EnsureReadable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    EnsureReadable(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    EnsureReadable(item);
                }

                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }

    public static ParsedReport Parse(JsonElement root, string fieldPrefix)
    {
        var errors = new List<FieldError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(fieldPrefix.TrimEnd('.') is { Length: > 0 } p ? p : "$", "wrongType", ["object"]));
            return new ParsedReport(Empty, errors);
        }

        // The shape's names are matched on their UTF-8 bytes and remembered as bits; any other name becomes
        // a string (it is an error). Field paths are built only for an error.
        var texts = new string?[ReportShape.Fields.Count];
        var values = new Dictionary<string, InputValue>(StringComparer.Ordinal);
        var seen = 0UL;
        HashSet<string>? unknown = null;
        foreach (var property in root.EnumerateObject())
        {
            var member = MemberOf(property);
            if (member < 0)
            {
                var path = fieldPrefix + property.Name;
                errors.Add((unknown ??= new HashSet<string>(StringComparer.Ordinal)).Add(property.Name)
                    ? new FieldError(path, "unknownField", [])
                    : new FieldError(path, "wrongType", ["duplicate"]));
                continue;
            }

            if ((seen & (1UL << member)) != 0)
            {
                errors.Add(new FieldError(fieldPrefix + property.Name, "wrongType", ["duplicate"]));
                continue;
            }

            seen |= 1UL << member;
            if (member == ValuesMember)
            {
                ReadValues(property.Value, fieldPrefix + ReportShape.Values, values, errors);
            }
            else if (member >= GroupMember)
            {
                ReadGroup(Groups[member - GroupMember], property.Value, fieldPrefix, texts, errors);
            }
            else
            {
                texts[member] = Text(property, fieldPrefix, errors);
            }
        }

        return new ParsedReport(ReportInput.FromFields(texts, values), errors);
    }

    /// <summary>A top-level member: a field's slot, <see cref="ValuesMember"/>, <see cref="GroupMember"/> + a group's index, or -1.</summary>
    private static int MemberOf(JsonProperty property)
    {
        foreach (var field in TopFields)
        {
            if (property.NameEquals(field.Utf8Name))
            {
                return field.Slot;
            }
        }

        if (property.NameEquals(ValuesName))
        {
            return ValuesMember;
        }

        for (var i = 0; i < Groups.Length; i++)
        {
            if (property.NameEquals(Groups[i].Utf8Name))
            {
                return GroupMember + i;
            }
        }

        return -1;
    }

    private const int ValuesMember = 62;
    private const int GroupMember = 40;

    private static readonly ReportField[] TopFields = ReportShape.Fields.Where(f => f.Parent is null).ToArray();

    private static readonly byte[] ValuesName = System.Text.Encoding.UTF8.GetBytes(ReportShape.Values);

    /// <summary>The objects that group fields (<c>reporter</c>: <c>name</c>, <c>phone</c>).</summary>
    private static readonly FieldGroup[] Groups = ReportShape.Parents
        .Select(p => new FieldGroup(p, System.Text.Encoding.UTF8.GetBytes(p), ReportShape.Fields.Where(f => f.Parent == p).ToArray()))
        .ToArray();

    private static ReportField? FieldOf(FieldGroup group, JsonProperty property)
    {
        foreach (var field in group.Fields)
        {
            if (property.NameEquals(field.Utf8Name))
            {
                return field;
            }
        }

        return null;
    }

    private sealed record FieldGroup(string Name, byte[] Utf8Name, ReportField[] Fields);

    private static readonly ReportInput Empty = new(null, null, null, new Dictionary<string, InputValue>(), null, null, null);

    /// <summary>A string or null; anything else is named at <paramref name="fieldPrefix"/> + the property's name.</summary>
    private static string? Text(JsonProperty property, string fieldPrefix, List<FieldError> errors)
    {
        var value = property.Value;
        switch (value.ValueKind)
        {
            case JsonValueKind.String: return value.GetString();
            case JsonValueKind.Null: return null;
            default:
                errors.Add(new FieldError(fieldPrefix + property.Name, "wrongType", ["string"]));
                return null;
        }
    }

    private static void ReadValues(JsonElement value, string field, Dictionary<string, InputValue> values, List<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(field, "wrongType", ["object"]));
            return;
        }

        foreach (var entry in value.EnumerateObject())
        {
            var key = entry.Name;
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(values, key, out var duplicate);
            if (duplicate)
            {
                errors.Add(new FieldError($"{field}.{key}", "wrongType", ["duplicate"]));
                continue;
            }

            var item = entry.Value;
            slot = item.ValueKind switch
            {
                JsonValueKind.Number => Number(item),
                JsonValueKind.Null => new InputValue(null, ""),
                JsonValueKind.String => new InputValue(null, item.GetString() is { Length: > 0 } s ? s : "\"\""),
                _ => new InputValue(null, item.ValueKind.ToString()),
            };
        }
    }

    private static InputValue Number(JsonElement item)
    {
        var raw = item.GetRawText();
        return new InputValue(NumberOf(item, raw), raw);
    }

    /// <summary>
    /// A number too large for decimal is still a number: it reports as out of range, not as text. One too
    /// small for decimal (1e-30) must not silently become 0: it becomes the smallest decimal of its sign, which
    /// the rules then refuse as a fraction.
    /// </summary>
    private static decimal NumberOf(JsonElement number, string raw)
    {
        var negative = raw.StartsWith('-');
        if (!number.TryGetDecimal(out var value))
        {
            return negative ? decimal.MinValue : decimal.MaxValue;
        }

        return value == 0 && number.TryGetDouble(out var approximate) && approximate != 0
            ? (negative ? -SmallestFraction : SmallestFraction)
            : value;
    }

    private const decimal SmallestFraction = 0.0000000000000000000000000001m;

    /// <summary>A group's object (<c>reporter</c>): its fields' texts; a repeated name or any other name is an error.</summary>
    private static void ReadGroup(FieldGroup group, JsonElement value, string fieldPrefix, string?[] texts, List<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        var field = fieldPrefix + group.Name;
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(field, "wrongType", ["object"]));
            return;
        }

        var prefix = field + ".";
        var seen = 0UL;
        foreach (var property in value.EnumerateObject())
        {
            if (FieldOf(group, property) is { } member)
            {
                if ((seen & (1UL << member.Slot)) != 0)
                {
                    errors.Add(new FieldError(prefix + property.Name, "wrongType", ["duplicate"]));
                    continue;
                }

                seen |= 1UL << member.Slot;
                texts[member.Slot] = Text(property, prefix, errors);
            }
            else
            {
                errors.Add(new FieldError(prefix + property.Name, "unknownField", []));
            }
        }
    }
}
