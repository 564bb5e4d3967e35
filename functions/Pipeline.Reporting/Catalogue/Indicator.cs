namespace Pipeline.Reporting.Catalogue;

/// <param name="KeyIndicator">Marked <c>"keyIndicator": true</c> in the catalogue: shown in printed summaries (the PDF's table and chart).</param>
/// <param name="MessageLabelZh">The name a message gives the indicator (<c>"messageLabelZh"</c>), when its label only reads
/// under its parent row (<c>其中：湖北</c>); null when the label itself reads on its own.</param>
public sealed record Indicator(
    string Key,
    string LabelZh,
    string LabelEn,
    string Group,
    IndicatorKind Kind,
    bool Required,
    IndicatorBounds Bounds,
    bool Cumulative,
    bool KeyIndicator = false,
    string? MessageLabelZh = null,
    string? MessageLabelEn = null)
{
    /// <summary>The Table Storage property that holds this indicator's value.</summary>
    public string PropertyName => "v_" + Key;

    public string Label(Language language) => language == Language.English ? LabelEn : LabelZh;

    /// <summary>The indicator as a sentence names it: in a validation message, a warning, a reminder.</summary>
    public string MessageLabel(Language language) =>
        language == Language.English ? MessageLabelEn ?? LabelEn : MessageLabelZh ?? LabelZh;
}
