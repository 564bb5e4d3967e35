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

        string? unitCode = null, reportDate = null, submissionId = null, notes = null, name = null, phone = null;
        var values = new Dictionary<string, InputValue>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            var field = fieldPrefix + property.Name;
            if (!seen.Add(property.Name))
            {
                errors.Add(new FieldError(field, "wrongType", ["duplicate"]));
                continue;
            }

            switch (property.Name)
            {
                case "unitCode": unitCode = Text(property.Value, field, errors); break;
                case "reportDate": reportDate = Text(property.Value, field, errors); break;
                case "submissionId": submissionId = Text(property.Value, field, errors); break;
                case "notes": notes = Text(property.Value, field, errors); break;
                case "values": ReadValues(property.Value, field, values, errors); break;
                case "reporter": (name, phone) = ReadReporter(property.Value, field, errors); break;
                default: errors.Add(new FieldError(field, "unknownField", [])); break;
            }
        }

        return new ParsedReport(new ReportInput(unitCode, reportDate, submissionId, values, notes, name, phone), errors);
    }

    private static readonly ReportInput Empty = new(null, null, null, new Dictionary<string, InputValue>(), null, null, null);

    private static string? Text(JsonElement value, string field, List<FieldError> errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String: return value.GetString();
            case JsonValueKind.Null: return null;
            default:
                errors.Add(new FieldError(field, "wrongType", ["string"]));
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
            if (values.ContainsKey(entry.Name))
            {
                errors.Add(new FieldError($"{field}.{entry.Name}", "wrongType", ["duplicate"]));
                continue;
            }

            values[entry.Name] = entry.Value.ValueKind switch
            {
                JsonValueKind.Number => new InputValue(NumberOf(entry.Value), entry.Value.GetRawText()),
                JsonValueKind.Null => new InputValue(null, ""),
                JsonValueKind.String => new InputValue(null, entry.Value.GetString() is { Length: > 0 } s ? s : "\"\""),
                _ => new InputValue(null, entry.Value.ValueKind.ToString()),
            };
        }
    }

    /// <summary>
    /// A number too large for decimal is still a number: it reports as out of range, not as text. One too
    /// small for decimal (1e-30) must not silently become 0: it becomes the smallest decimal of its sign, which
    /// the rules then refuse as a fraction.
    /// </summary>
    private static decimal NumberOf(JsonElement number)
    {
        var negative = number.GetRawText().StartsWith('-');
        if (!number.TryGetDecimal(out var value))
        {
            return negative ? decimal.MinValue : decimal.MaxValue;
        }

        return value == 0 && number.TryGetDouble(out var approximate) && approximate != 0
            ? (negative ? -SmallestFraction : SmallestFraction)
            : value;
    }

    private const decimal SmallestFraction = 0.0000000000000000000000000001m;

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
        foreach (var property in value.EnumerateObject())
        {
            var path = $"{field}.{property.Name}";
            switch (property.Name)
            {
                case "name": name = Text(property.Value, path, errors); break;
                case "phone": phone = Text(property.Value, path, errors); break;
                default: errors.Add(new FieldError(path, "unknownField", [])); break;
            }
        }

        return (name, phone);
    }
}

/// <summary>A parsed report and the fields that could not be read.</summary>
public sealed record ParsedReport(ReportInput Input, IReadOnlyList<FieldError> Errors);
