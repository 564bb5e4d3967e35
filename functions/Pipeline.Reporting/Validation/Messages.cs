using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Pipeline.Reporting.Catalogue;

namespace Pipeline.Reporting.Validation;

/// <summary>Every user-facing message in Chinese and English, kept as data; codes are stable, texts may change.</summary>
public sealed class Messages
{
    private readonly FrozenDictionary<string, LocalizedText> texts;

    private Messages(FrozenDictionary<string, LocalizedText> texts) => this.texts = texts;

    public static Messages LoadEmbedded()
    {
        var map = JsonSerializer.Deserialize<Dictionary<string, LocalizedText>>(
            EmbeddedData.Open("messages.json"), new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidDataException("messages.json is empty.");
        return new Messages(map.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public bool Has(string code) => texts.ContainsKey(code);

    /// <summary>The messages of the rules on a report's fields (codes without a dot; <c>problem.*</c> and <c>rollup.*</c> are not).</summary>
    public IReadOnlyDictionary<string, LocalizedText> FieldMessages() =>
        texts.Where(t => !t.Key.Contains('.', StringComparison.Ordinal))
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    /// <summary>Every message's template in one language (what a file that prints messages may print, but its arguments).</summary>
    public IEnumerable<string> Templates(Language language) => texts.Values.Select(t => language == Language.English ? t.En : t.Zh);

    public string Format(string code, Language language, params object?[] args)
    {
        var text = texts.TryGetValue(code, out var found) ? found : throw new KeyNotFoundException($"No message '{code}'.");
        var template = language == Language.English ? text.En : text.Zh;
        return string.Format(CultureInfo.InvariantCulture, template, args);
    }
}
