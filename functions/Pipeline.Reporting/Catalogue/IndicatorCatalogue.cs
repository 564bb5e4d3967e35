using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Reporting.Catalogue;

/// <summary>
/// The one list of indicators. Validation, table properties, CSV columns, rollup aggregation and
/// report headers all read it; nothing else names an indicator.
/// </summary>
public sealed class IndicatorCatalogue
{
    private readonly FrozenDictionary<string, Indicator> byKey;

    private IndicatorCatalogue(
        IReadOnlyList<Indicator> indicators,
        IReadOnlyList<IndicatorGroup> groups,
        IReadOnlyList<IndicatorConstraint> constraints)
    {
        Indicators = indicators;
        Groups = groups;
        Constraints = constraints;
        KeyIndicators = indicators.Where(i => i.KeyIndicator).Select(i => i.Key).ToList();
        byKey = indicators.ToFrozenDictionary(i => i.Key, StringComparer.Ordinal);
    }

    public IReadOnlyList<Indicator> Indicators { get; }

    public IReadOnlyList<IndicatorGroup> Groups { get; }

    public IReadOnlyList<IndicatorConstraint> Constraints { get; }

    /// <summary>Keys of the indicators highlighted in printed summaries (the PDF's table and chart), in catalogue order.</summary>
    public IReadOnlyList<string> KeyIndicators { get; }

    public Indicator this[string key] => byKey[key];

    public bool TryGet(string key, out Indicator indicator) => byKey.TryGetValue(key, out indicator!);

    public static IndicatorCatalogue LoadEmbedded() =>
        Load(EmbeddedData.Open("indicators.json"));

    public static IndicatorCatalogue Load(Stream json)
    {
        var document = JsonSerializer.Deserialize<CatalogueDocument>(json, DocumentOptions)
            ?? throw new InvalidDataException("The indicator catalogue is empty.");
        var indicators = document.Indicators.Select(i =>
        {
            var kind = document.Kinds[i.Kind];
            return new Indicator(i.Key, i.LabelZh, i.LabelEn, i.Group, i.Kind, i.Required,
                new IndicatorBounds(kind.Min, kind.Max, kind.Decimals), kind.Cumulative, i.KeyIndicator, i.MessageLabelZh, i.MessageLabelEn);
        }).ToList();
        var catalogue = new IndicatorCatalogue(indicators, document.Groups, document.Constraints);
        catalogue.CheckConsistency();
        return catalogue;
    }

    private void CheckConsistency()
    {
        var duplicate = Indicators.GroupBy(i => i.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"Indicator '{duplicate.Key}' is listed twice.");
        }

        var groupKeys = Groups.Select(g => g.Key).ToHashSet();
        var unknownGroup = Indicators.FirstOrDefault(i => !groupKeys.Contains(i.Group));
        if (unknownGroup is not null)
        {
            throw new InvalidDataException($"Indicator '{unknownGroup.Key}' names unknown group '{unknownGroup.Group}'.");
        }

        var named = Constraints.SelectMany(c => c.AtMostSumOf.Append(c.Key));
        var unknown = named.FirstOrDefault(k => !byKey.ContainsKey(k));
        if (unknown is not null)
        {
            throw new InvalidDataException($"The catalogue refers to unknown indicator '{unknown}'.");
        }
    }

    private static readonly JsonSerializerOptions DocumentOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private sealed record CatalogueDocument(
        Dictionary<IndicatorKind, KindDocument> Kinds,
        List<IndicatorGroup> Groups,
        List<IndicatorDocument> Indicators,
        List<IndicatorConstraint> Constraints);

    private sealed record KindDocument(decimal Min, decimal Max, int Decimals, bool Cumulative);

    private sealed record IndicatorDocument(
        string Key, string LabelZh, string LabelEn, string Group, IndicatorKind Kind, bool Required, bool KeyIndicator = false,
        string? MessageLabelZh = null, string? MessageLabelEn = null);
}
