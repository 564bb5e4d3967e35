using System.Globalization;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>A table of a rollup file: cells are text (string), numbers (decimal) or empty (null).</summary>
public sealed record RollupTable(string Name, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// The tables that the XLSX, CSV and PDF files show, laid out once: headers from the catalogue and the
/// messages, in Chinese (the officials' language). Not-reported values stay empty cells, never 0.
/// </summary>
public sealed class RollupTables(IndicatorCatalogue catalogue, UnitRegistry units, Messages messages)
{
    public const Language FileLanguage = Language.Chinese;

    public string Text(string code, params object?[] args) => messages.Format(code, FileLanguage, args);

    public string Title(RollupDocument rollup) => Text("rollup.title", rollup.Prefecture.Name);

    public string Subtitle(RollupDocument rollup) => Text("rollup.subtitle", rollup.Date, rollup.Revision,
        rollup.GeneratedAt is { } at ? at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "");

    public string CompletenessLine(Completeness c) =>
        Text("rollup.completeness", c.Expected, c.Reported, c.OnTime, c.Late, c.Missing.Count);

    /// <summary>County rows, the prefecture total, the change vs the previous day and the cumulative totals.</summary>
    public RollupTable Summary(RollupDocument rollup, IReadOnlyList<Indicator>? indicators = null)
    {
        indicators ??= catalogue.Indicators;
        string[] fixedHeaders = [Text("rollup.column.code"), Text("rollup.column.county"), Text("rollup.column.expected"),
            Text("rollup.column.reported"), Text("rollup.column.onTime"), Text("rollup.column.late"), Text("rollup.column.missing")];
        var rows = rollup.Counties.Select(c => Row(
            [c.Code, c.Name, c.Expected, c.Reported, c.OnTime, c.Late, c.MissingCount], c.Totals, indicators)).ToList();
        var total = rollup.Completeness;
        rows.Add(Row([rollup.Prefecture.Code, Text("rollup.row.total"), total.Expected, total.Reported, total.OnTime, total.Late,
            total.Missing.Count], rollup.Totals, indicators));
        rows.Add(Row([rollup.Prefecture.Code, Text("rollup.row.changes"), null, null, null, null, null], rollup.Changes, indicators));
        rows.Add(Row([rollup.Prefecture.Code, Text("rollup.row.cumulative"), null, null, null, null, null], rollup.Cumulative, indicators));
        return new RollupTable(Text("rollup.sheet.summary"), [.. fixedHeaders, .. indicators.Select(i => i.LabelZh)], rows);
    }

    /// <summary>Every expected unit: whether it reported, late, revision, values, warnings.</summary>
    public RollupTable Units(RollupDocument rollup)
    {
        string[] fixedHeaders = [Text("rollup.column.code"), Text("rollup.column.unit"), Text("rollup.column.county"),
            Text("rollup.column.reported"), Text("rollup.column.late"), Text("rollup.column.revision")];
        var rows = rollup.Units.Select(u =>
        {
            var row = Row([u.Code, u.Name, CountyName(u.CountyCode), YesNo(u.Reported), u.Reported ? YesNo(u.Late) : null,
                u.Revision is { } r ? (decimal)r : null], u.Values, catalogue.Indicators);
            return (IReadOnlyList<object?>)[.. row, u.Warnings.Count == 0 ? null : string.Join("；", u.Warnings.Select(w =>
                messages.Format(w.Rule, FileLanguage, catalogue.TryGet(w.Indicator, out var i) ? i.LabelZh : w.Indicator,
                    Number(w.Value), Number(w.Reference))))];
        }).ToList();
        return new RollupTable(Text("rollup.sheet.units"),
            [.. fixedHeaders, .. catalogue.Indicators.Select(i => i.LabelZh), Text("rollup.column.warnings")], rows);
    }

    public RollupTable Missing(RollupDocument rollup) => new(
        Text("rollup.sheet.missing"),
        [Text("rollup.column.code"), Text("rollup.column.unit"), Text("rollup.column.county")],
        rollup.Completeness.Missing.Select(m => (IReadOnlyList<object?>)[m.Code, m.Name, CountyName(m.CountyCode)]).ToList());

    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private string CountyName(string code) => units.Find(code)?.NameZh ?? code;

    private string YesNo(bool value) => Text(value ? "rollup.yes" : "rollup.no");

    private static IReadOnlyList<object?> Row(object?[] head, IReadOnlyDictionary<string, decimal> values, IReadOnlyList<Indicator> indicators) =>
        [.. head.Select(c => c is int n ? (decimal)n : c), .. indicators.Select(i => values.TryGetValue(i.Key, out var v) ? (object?)v : null)];
}

/// <summary>Text that a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
public static class SpreadsheetText
{
    public static string Safe(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
}
