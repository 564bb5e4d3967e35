using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Batches;

/// <summary>
/// Stores <see cref="FieldError"/>s as JSON with their arguments typed, so a stored row result is rendered
/// in the reader's language later exactly as a live 400 would be (indicator labels, sums, numbers).
/// </summary>
public static class FieldErrorJson
{
    public static string Serialize(IEnumerable<FieldError> errors) =>
        new JsonArray(errors.Select(e => (JsonNode)new JsonObject
        {
            ["field"] = e.Field,
            ["code"] = e.Code,
            ["args"] = new JsonArray(e.Args.Select(Argument).ToArray()),
        }).ToArray()).ToJsonString(JsonDefaults.Web);

    public static IReadOnlyList<FieldError> Deserialize(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        return JsonNode.Parse(json)!.AsArray().Select(node => new FieldError(
            node!["field"]!.GetValue<string>(),
            node["code"]!.GetValue<string>(),
            node["args"]!.AsArray().Select(Argument).ToArray())).ToList();
    }

    private static JsonNode? Argument(object? argument) => argument switch
    {
        null => null,
        IndicatorLabel label => new JsonObject { ["label"] = label.Key },
        IndicatorSum sum => new JsonObject { ["sum"] = new JsonArray(sum.Keys.Select(k => (JsonNode)k).ToArray()) },
        string text => new JsonObject { ["s"] = text },
        int or long or decimal or double => new JsonObject { ["n"] = Convert.ToDecimal(argument, System.Globalization.CultureInfo.InvariantCulture) },
        _ => new JsonObject { ["s"] = Convert.ToString(argument, System.Globalization.CultureInfo.InvariantCulture) },
    };

    private static object? Argument(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o when o["label"] is { } label => new IndicatorLabel(label.GetValue<string>()),
        JsonObject o when o["sum"] is JsonArray keys => new IndicatorSum(keys.Select(k => k!.GetValue<string>()).ToList()),
        JsonObject o when o["n"] is { } number => number.GetValue<decimal>(),
        JsonObject o when o["s"] is { } text => text.GetValue<string>(),
        _ => throw new JsonException("Unreadable error argument."),
    };
}
