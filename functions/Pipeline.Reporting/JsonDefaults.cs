using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Reporting;

/// <summary>The JSON shape of every API body and stored document: camelCase, enums as camelCase strings.</summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions Web = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // '+' (phone numbers), '&', quotes and Chinese stay as they are, so bodies and files read as written. The
            // relaxed encoder does not escape HTML-sensitive characters: safe because every body is served as
            // application/json or application/problem+json and stored as JSON, never inlined into an HTML page (the
            // form and console pages are static files that fetch JSON). Anything that ever embeds JSON in HTML must
            // use its own HTML-safe encoder.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
