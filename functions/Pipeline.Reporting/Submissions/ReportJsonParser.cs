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

        // The report's own names are matched on their UTF-8 bytes and remembered as bits; any other name becomes
        // a string (it is an error). Field paths are built only for an error.
        string? unitCode = null, reportDate = null, submissionId = null, notes = null, name = null, phone = null;
        var values = new Dictionary<string, InputValue>(StringComparer.Ordinal);
        var seen = Field.None;
        HashSet<string>? unknown = null;
        foreach (var property in root.EnumerateObject())
        {
            var field = FieldOf(property);
            if (field == Field.None)
            {
                var path = fieldPrefix + property.Name;
                errors.Add((unknown ??= new HashSet<string>(StringComparer.Ordinal)).Add(property.Name)
                    ? new FieldError(path, "unknownField", [])
                    : new FieldError(path, "wrongType", ["duplicate"]));
                continue;
            }

            if ((seen & field) != 0)
            {
                errors.Add(new FieldError(fieldPrefix + property.Name, "wrongType", ["duplicate"]));
                continue;
            }

            seen |= field;
            switch (field)
            {
                case Field.UnitCode: unitCode = Text(property, fieldPrefix, errors); break;
                case Field.ReportDate: reportDate = Text(property, fieldPrefix, errors); break;
                case Field.SubmissionId: submissionId = Text(property, fieldPrefix, errors); break;
                case Field.Notes: notes = Text(property, fieldPrefix, errors); break;
                case Field.Values: ReadValues(property.Value, fieldPrefix + "values", values, errors); break;
                default: (name, phone) = ReadReporter(property.Value, fieldPrefix + "reporter", errors); break;
            }
        }

        return new ParsedReport(new ReportInput(unitCode, reportDate, submissionId, values, notes, name, phone), errors);
    }

    [Flags]
    private enum Field
    {
        None = 0,
        UnitCode = 1,
        ReportDate = 2,
        SubmissionId = 4,
        Notes = 8,
        Values = 16,
        Reporter = 32,
    }

    private static Field FieldOf(JsonProperty property) =>
        property.NameEquals("unitCode"u8) ? Field.UnitCode
        : property.NameEquals("reportDate"u8) ? Field.ReportDate
        : property.NameEquals("submissionId"u8) ? Field.SubmissionId
        : property.NameEquals("notes"u8) ? Field.Notes
        : property.NameEquals("values"u8) ? Field.Values
        : property.NameEquals("reporter"u8) ? Field.Reporter
        : Field.None;

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

    /// <summary>The reporter object: <c>name</c> and <c>phone</c> (a repeated one: the last counts); other names are errors.</summary>
    private static (string? Name, string? Phone) ReadReporter(JsonElement value, string field, List<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(field, "wrongType", ["object"]));
            return (null, null);
        }

        string? name = null, phone = null;
        var prefix = field + ".";
        foreach (var property in value.EnumerateObject())
        {
            if (property.NameEquals("name"u8))
            {
                name = Text(property, prefix, errors);
            }
            else if (property.NameEquals("phone"u8))
            {
                phone = Text(property, prefix, errors);
            }
            else
            {
                errors.Add(new FieldError(prefix + property.Name, "unknownField", []));
            }
        }

        return (name, phone);
    }
}

/// <summary>A parsed report and the fields that could not be read.</summary>
public sealed record ParsedReport(ReportInput Input, IReadOnlyList<FieldError> Errors);
