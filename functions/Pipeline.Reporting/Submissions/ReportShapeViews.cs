using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Submissions;

/// <summary>
/// What <c>GET /api/report-shape</c> publishes, so that the form checks a report as the server will: every field
/// with its limits, the catalogue with each indicator's bounds, the cross-field rules as data, the characters
/// refused in text and every field message in both languages.
/// </summary>
public sealed record ReportShapeView(
    IReadOnlyList<ReportFieldView> Fields,
    IReadOnlyList<IndicatorGroupView> Groups,
    IReadOnlyList<IndicatorView> Indicators,
    IReadOnlyList<CrossFieldRuleView> Rules,
    TextRulesView Text,
    IReadOnlyDictionary<string, LocalizedText> Messages)
{
    public static ReportShapeView From(ReportShape shape, Messages messages) => new(
        ReportShape.Fields.Select(f => new ReportFieldView(
            f.Path, f.Column, f.Type, f.Required, f.MaxLength, f.AllowsLineBreaks,
            f.Pattern is null ? null : ReportShape.JavaScriptPattern(f.Pattern))).ToList(),
        shape.Catalogue.Groups.Select(g => new IndicatorGroupView(g.Key, g.LabelZh, g.LabelEn)).ToList(),
        shape.Indicators.Select(i => new IndicatorView(
            i.Key, ReportShape.ValuePath(i.Key), i.LabelZh, i.LabelEn, i.Group, i.Kind, i.Required,
            new IndicatorBoundsView(i.Bounds.Min, i.Bounds.Max, i.Bounds.Decimals),
            i.MessageLabel(Language.Chinese), i.MessageLabel(Language.English))).ToList(),
        shape.CrossFieldRules.Select(c => new CrossFieldRuleView(
            CrossFieldRuleView.AtMostSum, ReportShape.ValuePath(c.Key), c.Key, c.AtMostSumOf, "exceedsSum")).ToList(),
        new TextRulesView(ForbiddenCharacters.Ranges, ForbiddenCharacters.LineBreaks),
        messages.FieldMessages());
}

/// <param name="Path">The field's JSON path and the key of its errors (<c>reporter.name</c>).</param>
/// <param name="Column">Its CSV column and table property (<c>reporterName</c>).</param>
/// <param name="Pattern">A JavaScript regular expression the whole text must match, when there is one.</param>
public sealed record ReportFieldView(
    string Path, string Column, ReportFieldType Type, bool Required, int? MaxLength, bool LineBreaks, string? Pattern);

public sealed record IndicatorGroupView(string Key, string LabelZh, string LabelEn);

/// <param name="Path">The indicator's JSON path and error key (<c>values.fromWuhan</c>).</param>
/// <param name="MessageLabelZh">How a message names the indicator (the {0} and {2} of <c>exceedsSum</c>): its label,
/// or where the label only reads under its parent row (<c>其中：武汉</c>) the catalogue's message label.</param>
public sealed record IndicatorView(
    string Key, string Path, string LabelZh, string LabelEn, string Group, IndicatorKind Kind, bool Required, IndicatorBoundsView Bounds,
    string MessageLabelZh, string MessageLabelEn);

public sealed record IndicatorBoundsView(decimal Min, decimal Max, int Decimals);

/// <summary>
/// A rule across fields: <c>kind</c> <c>atMostSum</c> means the value of <c>key</c> may not exceed the sum of the
/// values of <c>atMostSumOf</c>, checked only where all of them are given and pass their own checks. A failure is
/// reported at <c>field</c> with the message <c>message</c>, whose arguments are {0} the message label of <c>key</c>,
/// {1} its value, {2} the message labels of <c>atMostSumOf</c> joined by " + ", {3} their sum.
/// </summary>
public sealed record CrossFieldRuleView(string Kind, string Field, string Key, IReadOnlyList<string> AtMostSumOf, string Message)
{
    public const string AtMostSum = "atMostSum";
}

/// <param name="Forbidden">UTF-16 code unit ranges refused in every text field.</param>
/// <param name="LineBreaks">The characters of <paramref name="Forbidden"/> that a field with <c>lineBreaks</c> allows.</param>
public sealed record TextRulesView(IReadOnlyList<CharacterRange> Forbidden, string LineBreaks);
