using System.Globalization;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// The tables and lines that the XLSX, CSV and PDF files show, laid out once: headers from the catalogue and the
/// messages, in Chinese (the officials' language). Not-reported values stay empty cells, never 0.
/// </summary>
/// Times are printed in the reporting time zone (<see cref="ReportingClock"/>, from options).
public sealed class RollupTables(IndicatorCatalogue catalogue, UnitRegistry units, Messages messages, ReportingClock clock)
{
    public const Language FileLanguage = Language.Chinese;

    public string Text(string code, params object?[] args) => messages.Format(code, FileLanguage, args);

    public string Title(RollupDocument rollup) => Text("rollup.title", rollup.Scope.Name);

    public string Subtitle(RollupDocument rollup) => Text("rollup.subtitle", LongDate(rollup.Date), rollup.Revision, Time(rollup.GeneratedAt));

    public string CompletenessLine(Completeness c) =>
        Text("rollup.completeness", c.Expected, c.Reported, c.OnTime, c.Late, c.Missing.Count);

    /// <summary>Why the changes are what they are: like for like, and how complete the previous day was.</summary>
    public string PreviousDayLine(RollupDocument rollup) =>
        Text("rollup.previousCompleteness", rollup.PreviousCompleteness.Expected, rollup.PreviousCompleteness.Reported);

    /// <summary>The lines printed above every table: title, date and revision, completeness, the previous day, provisional.</summary>
    public IReadOnlyList<string> TitleBlock(RollupDocument rollup) =>
    [
        Title(rollup),
        Subtitle(rollup),
        CompletenessLine(rollup.Completeness),
        PreviousDayLine(rollup),
        .. rollup.Provisional ? [Text("rollup.provisional")] : Array.Empty<string>(),
    ];

    /// <summary>
    /// Every text the files print but for numbers: the messages (the titles, headers and lines), the catalogue's labels and
    /// groups, the units' names and the dates' characters.
    /// </summary>
    public IEnumerable<string> Vocabulary() =>
    [
        .. messages.Templates(FileLanguage), .. catalogue.Indicators.Select(i => i.LabelZh), .. catalogue.Groups.Select(g => g.LabelZh),
        .. units.All.Select(u => u.NameZh), LongDate("2026-01-01"),
    ];

    /// <summary>The missing units, one line per county that has any: "迭部县（3 个）：电尕镇、…".</summary>
    public IReadOnlyList<(string County, int Count, IReadOnlyList<string> Names)> MissingByCounty(RollupDocument rollup) =>
        rollup.Completeness.Missing
            .GroupBy(m => m.CountyCode)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (CountyName(g.Key), g.Count(), (IReadOnlyList<string>)g.Select(m => m.Name).ToList()))
            .ToList();

    public string ChangeSummary(RevisionChanges changes) =>
        Text("rollup.revisionChanges.summary", changes.PreviousRevision, Time(changes.PreviousGeneratedAt), changes.Units.Count);

    /// <summary>The parts of an area a summary has a row (or column) for: the counties of the prefecture, the townships of a county.</summary>
    public IReadOnlyList<(string Code, string Name, CompletenessCounts Counts, IReadOnlyDictionary<string, decimal> Totals)> Parts(RollupDocument rollup) =>
        rollup.IsPrefecture
            ? rollup.Counties.Select(c => (c.Code, c.Name, new CompletenessCounts(c.Expected, c.Reported, c.OnTime, c.Late), c.Totals)).ToList()
            : rollup.Units.Select(u => (u.Code, u.Name, new CompletenessCounts(1, u.Reported ? 1 : 0, u.Reported && !u.Late ? 1 : 0, u.Late ? 1 : 0),
                u.Values)).ToList();

    /// <summary>How many parts <see cref="Parts"/> lists: the counties of the prefecture, the townships of a county.</summary>
    public static int PartCount(RollupDocument rollup) => rollup.IsPrefecture ? rollup.Counties.Count : rollup.Units.Count;

    /// <summary>
    /// A row per part (county, or township of a county), the area's total, the change vs the previous day with its basis,
    /// and the cumulative totals; with <paramref name="parts"/>, the rows of the first that many parts only (what a page
    /// has room for: a county of 1,000 townships prints a few dozen).
    /// </summary>
    public RollupTable Summary(RollupDocument rollup, IReadOnlyList<Indicator>? indicators = null, int? parts = null)
    {
        indicators ??= catalogue.Indicators;
        string[] fixedHeaders = [Text("rollup.column.code"), Text(rollup.IsPrefecture ? "rollup.column.county" : "rollup.column.unit"),
            Text("rollup.column.expected"), Text("rollup.column.reported"), Text("rollup.column.onTime"), Text("rollup.column.late"),
            Text("rollup.column.missing")];
        var columns = new IndicatorColumns(indicators);
        var rows = Parts(rollup).Take(parts ?? int.MaxValue).Select(p => Row(
            [p.Code, p.Name, p.Counts.Expected, p.Counts.Reported, p.Counts.OnTime, p.Counts.Late, p.Counts.Expected - p.Counts.Reported],
            p.Totals, columns)).ToList();
        var total = rollup.Completeness;
        var area = rollup.Scope;
        var first = rows.Count;
        rows.Add(Row([area.Code, Text("rollup.row.total", area.Name), total.Expected, total.Reported, total.OnTime, total.Late,
            total.Missing.Count], rollup.Totals, columns));
        rows.Add(Row([area.Code, Text("rollup.row.changes"), null, null, null, null, null], rollup.Changes, columns));
        rows.Add(Row([area.Code, Text("rollup.row.changeUnits"), null, null, null, null, null],
            rollup.ChangeUnits.ToDictionary(p => p.Key, p => (decimal)p.Value), columns));
        rows.Add(Row([area.Code, Text("rollup.row.cumulative", area.Name), null, null, null, null, null], rollup.Cumulative, columns));
        return new RollupTable(Text("rollup.sheet.summary"), [.. fixedHeaders, .. indicators.Select(i => i.LabelZh)], rows,
            Enumerable.Range(first, rows.Count - first).ToHashSet());
    }

    /// <summary>
    /// The summary for paper, one indicator a row: the completeness counts, then every indicator with its group; a column
    /// per part of the area (the counties of the prefecture, the townships of a county), then the area's total, the change
    /// vs the previous day, the units that change is based on, and the cumulative total. It fits one landscape page.
    /// </summary>
    public RollupTable SummaryByIndicator(RollupDocument rollup)
    {
        var parts = Parts(rollup);
        var area = rollup.Scope.Name;
        string[] headers = [Text("rollup.column.group"), Text("rollup.column.indicator"), .. parts.Select(p => p.Name),
            Text("rollup.row.total", area), Text("rollup.row.changes"), Text("rollup.row.changeUnits"), Text("rollup.row.cumulative", area)];
        var rows = new List<IReadOnlyList<object?>>();
        var total = rollup.Completeness.Counts;
        foreach (var (label, count) in new (string, Func<CompletenessCounts, int>)[]
        {
            (Text("rollup.column.expected"), c => c.Expected), (Text("rollup.column.reported"), c => c.Reported),
            (Text("rollup.column.onTime"), c => c.OnTime), (Text("rollup.column.late"), c => c.Late),
            (Text("rollup.column.missing"), c => c.Expected - c.Reported),
        })
        {
            rows.Add([Text("rollup.group.completeness"), label, .. parts.Select(p => (object?)(decimal)count(p.Counts)), (decimal)count(total), null, null, null]);
        }

        // A row per indicator, a column per part: each part's values placed by slot once (a county's parts are its
        // townships, up to 1,000 of them), not looked up per indicator and part.
        var groups = catalogue.Groups.ToDictionary(g => g.Key, g => g.LabelZh);
        var indicators = catalogue.Indicators;
        var columns = new IndicatorColumns(indicators);
        var byIndicator = new object?[indicators.Count][];
        for (var i = 0; i < indicators.Count; i++)
        {
            byIndicator[i] = new object?[headers.Length];
            (byIndicator[i][0], byIndicator[i][1]) = (groups.GetValueOrDefault(indicators[i].Group, indicators[i].Group), indicators[i].LabelZh);
        }

        Span<decimal> placed = stackalloc decimal[indicators.Count];
        Span<bool> present = stackalloc bool[indicators.Count];
        for (var p = 0; p < parts.Count; p++)
        {
            columns.Place(parts[p].Totals, placed, present);
            for (var i = 0; i < indicators.Count; i++)
            {
                byIndicator[i][2 + p] = present[i] ? Box(placed[i]) : null;
            }
        }

        var after = 2 + parts.Count;
        for (var i = 0; i < indicators.Count; i++)
        {
            var key = indicators[i].Key;
            (byIndicator[i][after], byIndicator[i][after + 1], byIndicator[i][after + 2], byIndicator[i][after + 3]) =
                (Value(rollup.Totals, key), Value(rollup.Changes, key), rollup.ChangeUnits.TryGetValue(key, out var n) ? (decimal)n : null,
                    Value(rollup.Cumulative, key));
            rows.Add(byIndicator[i]);
        }

        return new RollupTable(Text("rollup.sheet.summary"), headers, rows);
    }

    private static object? Value(IReadOnlyDictionary<string, decimal> values, string key) => values.TryGetValue(key, out var v) ? v : null;

    /// <summary>
    /// Every expected unit: whether it reported, late, revision, values (every indicator, or the ones given), warnings,
    /// notes and the reporter. The rows are made as they are read (<see cref="UnitRows"/>).
    /// </summary>
    public RollupTable Units(RollupDocument rollup, IReadOnlyList<Indicator>? indicators = null, string sheet = "rollup.sheet.units")
    {
        indicators ??= catalogue.Indicators;
        string[] fixedHeaders = [Text("rollup.column.code"), Text("rollup.column.unit"), Text("rollup.column.county"),
            Text("rollup.column.reported"), Text("rollup.column.late"), Text("rollup.column.revision")];
        // What every row repeats, looked up once: a large area's unit sheets make 100,000 rows twice each.
        var counties = rollup.Counties.ToDictionary(c => c.Code, c => CountyName(c.Code), StringComparer.Ordinal);
        var rows = new UnitRows(rollup.Units, indicators,
            u => counties.TryGetValue(u.CountyCode, out var county) ? county : CountyName(u.CountyCode), YesNo(true), YesNo(false),
            u => string.Join("；", u.Warnings.Select(w =>
                messages.Format(w.Rule, FileLanguage, catalogue.TryGet(w.Indicator, out var i) ? i.LabelZh : w.Indicator,
                    Number(w.Value), Number(w.Reference)))));
        return new RollupTable(Text(sheet),
            [.. fixedHeaders, .. indicators.Select(i => i.LabelZh), Text("rollup.column.warnings"),
                Text("rollup.column.notes"), Text("rollup.column.reporterName"), Text("rollup.column.reporterPhone")], rows);
    }

    /// <summary>The key indicators (the catalogue's <c>keyIndicator</c> flag), in catalogue order.</summary>
    public IReadOnlyList<Indicator> KeyIndicators => catalogue.KeyIndicators.Select(k => catalogue[k]).ToList();

    /// <summary>The missing units grouped by county: a heading row per county (name and count), then its units.</summary>
    public RollupTable Missing(RollupDocument rollup)
    {
        var rows = new List<IReadOnlyList<object?>>();
        var headings = new HashSet<int>();
        foreach (var county in rollup.Completeness.Missing.GroupBy(m => m.CountyCode).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            headings.Add(rows.Count);
            rows.Add([county.Key, Text("rollup.missingInCounty", CountyName(county.Key), county.Count(), ""), null]);
            rows.AddRange(county.Select(m => (IReadOnlyList<object?>)[m.Code, m.Name, CountyName(m.CountyCode)]));
        }

        return new RollupTable(
            Text("rollup.sheet.missing"),
            [Text("rollup.column.code"), Text("rollup.column.unit"), Text("rollup.column.county")],
            rows, headings);
    }

    /// <summary>
    /// What changed since the revision before, one row per changed value: the unit, the indicator, before and after;
    /// then the area's totals that changed. Revision 1 has one row saying so.
    /// </summary>
    public RollupTable RevisionChanges(RollupDocument rollup)
    {
        string[] headers = [Text("rollup.column.code"), Text("rollup.column.unit"), Text("rollup.column.county"), Text("rollup.column.indicator"),
            Text("rollup.column.before"), Text("rollup.column.after")];
        var rows = new List<IReadOnlyList<object?>>();
        var emphasis = new HashSet<int>();
        if (rollup.RevisionChanges is not { } changes)
        {
            rows.Add([null, Text("rollup.revisionChanges.first"), null, null, null, null]);
            return new RollupTable(Text("rollup.sheet.revisionChanges"), headers, rows);
        }

        foreach (var unit in changes.Units)
        {
            foreach (var indicator in catalogue.Indicators)
            {
                var had = unit.Before.TryGetValue(indicator.Key, out var before);
                var has = unit.After.TryGetValue(indicator.Key, out var after);
                if (had != has || before != after)
                {
                    rows.Add([unit.Code, unit.Name, CountyName(unit.CountyCode), indicator.LabelZh, had ? before : null, has ? after : null]);
                }
            }
        }

        foreach (var indicator in catalogue.Indicators)
        {
            var had = changes.TotalsBefore.TryGetValue(indicator.Key, out var before);
            var has = changes.TotalsAfter.TryGetValue(indicator.Key, out var after);
            if (had != has || before != after)
            {
                emphasis.Add(rows.Count);
                rows.Add([rollup.Scope.Code, Text("rollup.row.total", rollup.Scope.Name), null, indicator.LabelZh, had ? before : null, has ? after : null]);
            }
        }

        return new RollupTable(Text("rollup.sheet.revisionChanges"), headers, rows, emphasis);
    }

    /// <summary>A number as machines read it back (CSV): 25519, 100.5. A whole number is its digits (small ones made once).</summary>
    public static string Number(decimal value) =>
        !WholeNumber.TryGet(value, out var magnitude, out var negative) ? value.ToString("0.##", CultureInfo.InvariantCulture)
        : negative && magnitude != 0 ? (-(long)magnitude).ToString(CultureInfo.InvariantCulture)
        : magnitude < (uint)SmallWholeTexts.Length ? SmallWholeTexts[magnitude] : magnitude.ToString(CultureInfo.InvariantCulture);

    /// <summary>The text of 0..1023 (most of a township's figures), one string each; negative zero reads 0 as well.</summary>
    private static readonly string[] SmallWholeTexts = [.. Enumerable.Range(0, 1024).Select(n => n.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The format of <see cref="Grouped"/>.</summary>
    public const string GroupedFormat = "#,##0.##";

    /// <summary>A number as people read it on paper: 25,519.</summary>
    public static string Grouped(decimal value) => value.ToString(GroupedFormat, CultureInfo.InvariantCulture);

    /// <summary>A change with its sign, for paper: +12, -3, 0.</summary>
    public static string Signed(decimal value) => value > 0 ? "+" + Grouped(value) : Grouped(value);

    /// <summary>The date as officials write it: 2026年11月26日.</summary>
    public static string LongDate(string isoDate) =>
        ReportDate.TryParse(isoDate, out var d)
            ? $"{d.Year}年{d.Month}月{d.Day}日" : isoDate;

    /// <summary>An instant as officials read it: the local time of the reporting time zone.</summary>
    public string Time(DateTimeOffset? at) =>
        at is { } t ? clock.ToLocal(t).ToString(ReportDate.Format + " HH:mm", CultureInfo.InvariantCulture) : "";

    public string CountyName(string code) => units.Find(code)?.NameZh ?? code;

    private string YesNo(bool value) => Text(value ? "rollup.yes" : "rollup.no");

    private static IReadOnlyList<object?> Row(object?[] head, IReadOnlyDictionary<string, decimal> values, IndicatorColumns indicators)
    {
        var row = new object?[head.Length + indicators.Count];
        for (var i = 0; i < head.Length; i++)
        {
            row[i] = head[i] is int n ? Box(n) : head[i];
        }

        Span<decimal> placed = stackalloc decimal[indicators.Count];
        Span<bool> present = stackalloc bool[indicators.Count];
        indicators.Place(values, placed, present);
        for (var i = 0; i < placed.Length; i++)
        {
            row[head.Length + i] = present[i] ? Box(placed[i]) : null;
        }

        return row;
    }

    /// <summary>Small whole numbers (most of a township's figures) boxed once, not once per cell.</summary>
    private static readonly object[] SmallWholeNumbers = [.. Enumerable.Range(0, 1024).Select(n => (object)(decimal)n)];

    /// <summary>A cell's number as an object; a whole number without decimals 0..1023 shares one box.</summary>
    private static object Box(decimal value) =>
        value.Scale == 0 && value >= 0 && value < SmallWholeNumbers.Length ? SmallWholeNumbers[(int)value] : value;
}
