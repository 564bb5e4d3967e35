namespace Pipeline.Reporting.Catalogue;

/// <param name="KeyIndicator">Marked <c>"keyIndicator": true</c> in the catalogue: shown in printed summaries (the PDF's table and chart).</param>
public sealed record Indicator(
    string Key,
    string LabelZh,
    string LabelEn,
    string Group,
    IndicatorKind Kind,
    bool Required,
    IndicatorBounds Bounds,
    bool Cumulative,
    bool KeyIndicator = false)
{
    /// <summary>The Table Storage property that holds this indicator's value.</summary>
    public string PropertyName => "v_" + Key;

    public string Label(Language language) => language == Language.English ? LabelEn : LabelZh;
}
