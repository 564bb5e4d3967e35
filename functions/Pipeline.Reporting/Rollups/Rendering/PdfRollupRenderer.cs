using Microsoft.IO;
using Pipeline.Reporting.Catalogue;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// One printable A4 landscape page, for the prefecture and for a county alike: title, date and revision,
/// completeness and the previous day's, the table of the key indicators (a row per county, or per township of a county,
/// then the total, the like-for-like change and its basis, the cumulative total), the missing units by county, what
/// changed since the revision before, and a chart of the key indicators in small multiples (each on its own scale, so
/// 47 fever referrals read as well as 25,519 persons checked). Text is real text in a subset of the Chinese font
/// (PDFsharp embeds only the glyphs used), so it can be selected, searched and extracted; the chart is drawn, not pasted.
/// </summary>
public sealed class PdfRollupRenderer(RollupTables tables, IndicatorCatalogue catalogue, PdfFontLocator fonts, RecyclableMemoryStreamManager buffers)
    : BufferedRollupRenderer(buffers)
{
    private const double PageWidth = 842;
    private const double PageHeight = 595;
    private const double Margin = 28;
    private const double ContentWidth = PageWidth - 2 * Margin;
    private const int MaxChangedUnitsListed = 12;

    /// <summary>The summary table's rows after its parts: the total, the change, its basis, the cumulative total.</summary>
    private const int SummaryRows = 4;

    /// <summary>Kept free under the table for the missing units' lines.</summary>
    private const double ReservedBelowTable = 40;

    /// <summary>The row that stands for the parts that did not fit.</summary>
    private const int MoreParts = -1;

    private static readonly XColor Ink = XColor.FromArgb(20, 20, 20);
    private static readonly XColor Muted = XColor.FromArgb(90, 90, 90);
    private static readonly XColor Warning = XColor.FromArgb(192, 0, 0);
    private static readonly XColor Shade = XColor.FromArgb(226, 234, 245);
    private static readonly XColor TotalShade = XColor.FromArgb(243, 243, 243);
    private static readonly XColor Bar = XColor.FromArgb(58, 102, 168);

    /// <summary>What the page prints besides the files' vocabulary: numbers and signs, and this page's own punctuation.</summary>
    private static readonly string OwnCharacters =
        string.Concat(Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c)) + "（），；：、…—→";

    /// <summary>
    /// The font cut once to what the pages print (the PDF writer's subset of it per document is then small and quick); text
    /// with any other character (a name not in the registry) draws with the whole font, which looks the same.
    /// </summary>
    private readonly Lazy<PdfFontSubset?> subset = new(() => fonts.Subset([.. tables.Vocabulary(), OwnCharacters]));

    public override string Format => "pdf";

    public override string Name => "rollup.pdf";

    public override string ContentType => "application/pdf";

    protected override void Write(RollupDocument rollup, Stream buffer)
    {
        var document = new PdfDocument();
        document.Info.Title = tables.Title(rollup) + " " + rollup.Date;
        document.Info.Creator = "Pipeline";
        if (rollup.GeneratedAt is { } at)
        {
            document.Info.CreationDate = at.UtcDateTime;
            document.Info.ModificationDate = at.UtcDateTime;
        }

        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        using (var graphics = XGraphics.FromPdfPage(page))
        {
            var pen = new Page(graphics, fonts.Family, subset.Value);
            var y = DrawHeader(pen, rollup);
            y = DrawTable(pen, rollup, y + 4);
            y = DrawMissing(pen, rollup, y + 5);
            y = DrawRevisionChanges(pen, rollup, y + 2);
            DrawChart(pen, rollup, y + 6, PageHeight - Margin);
        }

        document.Save(buffer, closeStream: false);
    }

    private IReadOnlyList<Indicator> KeyIndicators => tables.KeyIndicators;

    private double DrawHeader(Page page, RollupDocument rollup)
    {
        var y = Margin;
        page.Text(tables.Title(rollup), 18, true, Ink, Margin, y, ContentWidth, 24, XStringFormats.Center);
        y += 24;
        page.Text(tables.Subtitle(rollup), 10, false, Ink, Margin, y, ContentWidth, 14, XStringFormats.Center);
        y += 15;
        if (rollup.Provisional)
        {
            page.Text(tables.Text("rollup.provisional"), 10, true, Warning, Margin, y, ContentWidth, 14, XStringFormats.Center);
            y += 15;
        }

        page.Text(tables.CompletenessLine(rollup.Completeness), 9.5, true, Ink, Margin, y, ContentWidth / 2, 13, XStringFormats.CenterLeft);
        page.Text(page.Fit(tables.PreviousDayLine(rollup), 8, ContentWidth / 2), 8, false, Muted, Margin + ContentWidth / 2, y, ContentWidth / 2, 13,
            XStringFormats.CenterRight);
        return y + 13;
    }

    private double DrawTable(Page page, RollupDocument rollup, double top)
    {
        // The parts that fit on the page above the missing units; the rest are counted in one line (the workbook lists
        // every one). A county of a few dozen townships fits whole; text below the page's edge would be lost to readers.
        var parts = RollupTables.PartCount(rollup);
        var rowCount = parts + SummaryRows;
        // A county's table has a row per township: rows are lower so the page still holds the chart.
        var rowHeight = rowCount > 14 ? 11.5 : 13.5;
        var size = rowCount > 14 ? 7.5 : 8.5;
        const double HeaderHeight = 24;
        var room = (int)Math.Floor((PageHeight - Margin - ReservedBelowTable - top - HeaderHeight) / rowHeight);
        var shown = rowCount <= room ? parts : Math.Max(0, room - SummaryRows - 1);
        // Only the rows drawn are made.
        var table = tables.Summary(rollup, KeyIndicators, shown);
        // The code column is left out on paper.
        var headers = table.Headers.Skip(1).ToList();
        const double NameWidth = 92;
        const double CountWidth = 30;
        const int Counts = 5;
        var indicatorWidth = (ContentWidth - NameWidth - Counts * CountWidth) / (headers.Count - 1 - Counts);
        double X(int c) => Margin + (c == 0 ? 0 : NameWidth + Math.Min(c - 1, Counts) * CountWidth + Math.Max(0, c - 1 - Counts) * indicatorWidth);
        double W(int c) => c == 0 ? NameWidth : c <= Counts ? CountWidth : indicatorWidth;

        var y = top;
        page.Fill(Shade, Margin, y, ContentWidth, HeaderHeight);
        for (var c = 0; c < headers.Count; c++)
        {
            var (one, two) = page.Split(headers[c], 7.5, W(c) - 3);
            if (two.Length == 0)
            {
                page.Text(one, 7.5, true, Ink, X(c), y, W(c), HeaderHeight, XStringFormats.Center);
            }
            else
            {
                page.Text(one, 7.5, true, Ink, X(c), y + 2, W(c), HeaderHeight / 2 - 1, XStringFormats.Center);
                page.Text(two, 7.5, true, Ink, X(c), y + HeaderHeight / 2, W(c), HeaderHeight / 2 - 1, XStringFormats.Center);
            }
        }

        y += HeaderHeight;
        var changesRow = shown + 1;
        double? moreAt = null;
        int[] drawn = [.. Enumerable.Range(0, shown), .. shown < parts ? [MoreParts] : Array.Empty<int>(), .. Enumerable.Range(shown, SummaryRows)];
        foreach (var r in drawn)
        {
            if (r == MoreParts)
            {
                var what = tables.Text(rollup.IsPrefecture ? "rollup.column.county" : "rollup.column.unit");
                page.Text(tables.Text("rollup.moreParts", parts - shown, what), size, false, Muted, Margin + 3, y, ContentWidth - 3, rowHeight,
                    XStringFormats.CenterLeft);
                page.Line(Margin, y, Margin + ContentWidth, y);
                moreAt = y;
                y += rowHeight;
                continue;
            }

            var bold = table.IsEmphasised(r);
            if (bold)
            {
                page.Fill(TotalShade, Margin, y, ContentWidth, rowHeight);
            }

            var row = table.Rows[r];
            for (var c = 0; c < row.Count - 1; c++)
            {
                var cell = row[c + 1] switch
                {
                    decimal n when r == changesRow && c > Counts => RollupTables.Signed(n),
                    decimal n => RollupTables.Grouped(n),
                    string s => s,
                    _ => "",
                };
                if (c == 0)
                {
                    page.Text(page.Fit(cell, size, W(c) - 4), size, bold, Ink, X(c) + 3, y, W(c) - 3, rowHeight, XStringFormats.CenterLeft);
                }
                else
                {
                    page.Text(cell, size, bold, Ink, X(c), y, W(c) - 3, rowHeight, XStringFormats.CenterRight);
                }
            }

            page.Line(Margin, y, Margin + ContentWidth, y);
            y += rowHeight;
        }

        page.Frame(Margin, top, ContentWidth, y - top);
        for (var c = 1; c < headers.Count; c++)
        {
            // The line that counts the parts left out runs across the columns.
            if (moreAt is { } at)
            {
                page.Line(X(c), top, X(c), at);
                page.Line(X(c), at + rowHeight, X(c), y);
            }
            else
            {
                page.Line(X(c), top, X(c), y);
            }
        }

        return y;
    }

    /// <summary>The missing units, a line per county with any (wrapped to two when long), or a line saying none is missing.</summary>
    private double DrawMissing(Page page, RollupDocument rollup, double top)
    {
        var y = top;
        var byCounty = tables.MissingByCounty(rollup);
        if (byCounty.Count == 0)
        {
            page.Text(tables.Text("rollup.noneMissing"), 8.5, true, Ink, Margin, y, ContentWidth, 12, XStringFormats.CenterLeft);
            return y + 12;
        }

        page.Text(tables.Text("rollup.sheet.missing"), 8.5, true, Ink, Margin, y, ContentWidth, 12, XStringFormats.CenterLeft);
        y += 12;
        // Two columns for the prefecture's counties; a county's single line runs across the page.
        var columns = byCounty.Count > 1 ? 2 : 1;
        var width = ContentWidth / columns;
        var linesPerEntry = byCounty.Count > 4 ? 1 : 2;
        for (var i = 0; i < byCounty.Count; i++)
        {
            var (county, count, names) = byCounty[i];
            var x = Margin + (i % columns) * width;
            var line = tables.Text("rollup.missingInCounty", county, count, string.Join("、", names));
            var lines = page.Wrap(line, 7.5, width - 8, linesPerEntry);
            for (var l = 0; l < lines.Count; l++)
            {
                page.Text(lines[l], 7.5, false, Ink, x + 4, y + l * 10, width - 8, 10, XStringFormats.CenterLeft);
            }

            if (i % columns == columns - 1 || i == byCounty.Count - 1)
            {
                y += 10 * linesPerEntry;
            }
        }

        return y;
    }

    /// <summary>For revision N &gt; 1: how many units changed since N-1, the first of them with their changed values, and the totals that moved.</summary>
    private double DrawRevisionChanges(Page page, RollupDocument rollup, double top)
    {
        if (rollup.RevisionChanges is not { } changes)
        {
            return top;
        }

        var y = top;
        var units = changes.Units.Take(MaxChangedUnitsListed).Select(u => u.Name + "（" + string.Join("，", catalogue.Indicators
            .Where(i => u.Before.GetValueOrDefault(i.Key, -1) != u.After.GetValueOrDefault(i.Key, -1))
            .Select(i => $"{i.LabelZh} {Value(u.Before, i.Key)}→{Value(u.After, i.Key)}").Take(3)) + "）");
        var more = changes.Units.Count > MaxChangedUnitsListed ? "……" : "";
        var line = tables.ChangeSummary(changes) + "：" + string.Join("；", units) + more;
        var totals = KeyIndicators
            .Where(i => changes.TotalsBefore.GetValueOrDefault(i.Key, -1) != changes.TotalsAfter.GetValueOrDefault(i.Key, -1))
            .Select(i => $"{i.LabelZh} {Value(changes.TotalsBefore, i.Key)}→{Value(changes.TotalsAfter, i.Key)}");
        var lines = page.Wrap(line, 7.5, ContentWidth, 2).ToList();
        if (totals.Any())
        {
            lines.Add(page.Fit(tables.Text("rollup.revisionChanges.totals") + "：" + string.Join("；", totals), 7.5, ContentWidth));
        }

        foreach (var text in lines)
        {
            page.Text(text, 7.5, false, Ink, Margin, y, ContentWidth, 10, XStringFormats.CenterLeft);
            y += 10;
        }

        return y;
    }

    private static string Value(IReadOnlyDictionary<string, decimal> values, string key) =>
        values.TryGetValue(key, out var v) ? RollupTables.Grouped(v) : "—";

    /// <summary>
    /// Small multiples: a panel per key indicator, each with its own scale, a bar per part of the area (county or
    /// township) and its total in the panel's title; parts that did not report it have no bar.
    /// </summary>
    private void DrawChart(Page page, RollupDocument rollup, double top, double bottom)
    {
        var indicators = KeyIndicators;
        var parts = tables.Parts(rollup);
        if (bottom - top < 80 || indicators.Count == 0)
        {
            return;
        }

        page.Text(tables.Text("rollup.chart", rollup.Scope.Name), 8.5, true, Ink, Margin, top, ContentWidth, 12, XStringFormats.CenterLeft);
        top += 13;
        const int Columns = 4;
        var rowsOfPanels = (indicators.Count + Columns - 1) / Columns;
        const double Gap = 8;
        var panelWidth = (ContentWidth - (Columns - 1) * Gap) / Columns;
        var panelHeight = (bottom - top - (rowsOfPanels - 1) * Gap) / rowsOfPanels;
        var labelled = panelWidth / Math.Max(1, parts.Count) >= 19;
        for (var i = 0; i < indicators.Count; i++)
        {
            var x = Margin + (i % Columns) * (panelWidth + Gap);
            var y = top + (i / Columns) * (panelHeight + Gap);
            DrawPanel(page, indicators[i], rollup, parts, x, y, panelWidth, panelHeight, labelled);
        }
    }

    private static void DrawPanel(
        Page page, Indicator indicator, RollupDocument rollup,
        IReadOnlyList<(string Code, string Name, CompletenessCounts Counts, IReadOnlyDictionary<string, decimal> Totals)> parts,
        double x, double y, double width, double height, bool labelled)
    {
        page.Frame(x, y, width, height);
        var total = rollup.Totals.TryGetValue(indicator.Key, out var t) ? RollupTables.Grouped(t) : "—";
        page.Text(page.Fit(indicator.LabelZh, 8, width - 60), 8, true, Ink, x + 4, y + 1, width - 8, 12, XStringFormats.CenterLeft);
        page.Text(total, 8, true, Ink, x + 4, y + 1, width - 8, 12, XStringFormats.CenterRight);
        var values = parts.Select(p => p.Totals.TryGetValue(indicator.Key, out var v) ? (decimal?)v : null).ToList();
        var max = values.Max() ?? 0;
        const double Top = 24;
        var nameHeight = labelled ? 10 : 2;
        var plotTop = y + Top;
        var plotBottom = y + height - nameHeight - 2;
        var slot = (width - 8) / Math.Max(1, parts.Count);
        var barWidth = Math.Max(1.5, slot * 0.62);
        page.Line(x + 4, plotBottom, x + width - 4, plotBottom);
        if (max > 0 && !labelled)
        {
            // Without a label per bar, the scale's top says what the tallest bar is.
            page.Text(RollupTables.Grouped(max), 6, false, Muted, x + 4, y + 12, width - 8, 9, XStringFormats.CenterRight);
        }

        for (var p = 0; p < parts.Count; p++)
        {
            var cx = x + 4 + slot * p + slot / 2;
            if (values[p] is { } value)
            {
                var h = max > 0 ? (double)(value / max) * (plotBottom - plotTop) : 0;
                page.Fill(Bar, cx - barWidth / 2, plotBottom - h, barWidth, Math.Max(h, 0.6));
                if (labelled)
                {
                    page.Text(RollupTables.Grouped(value), 6, false, Ink, cx - slot / 2, plotBottom - h - 9, slot, 9, XStringFormats.BottomCenter);
                }
            }

            if (labelled)
            {
                page.Text(page.Fit(parts[p].Name, 6, slot), 6, false, Muted, cx - slot / 2, plotBottom + 1, slot, nameHeight, XStringFormats.TopCenter);
            }
        }
    }

    /// <summary>Drawing on the page with the located font (its subset where it covers the text); without a font, shapes only.</summary>
    private sealed class Page(XGraphics graphics, string? family, PdfFontSubset? subset)
    {
        private readonly Dictionary<(string, double, bool), XFont> fonts = [];
        private readonly Dictionary<XColor, XSolidBrush> brushes = [];

        /// <summary>Widths measured on this page: the chart's panels fit the same names, and fitting and wrapping measure the same text again.</summary>
        private readonly Dictionary<(string, double), double> widths = [];
        private readonly XPen thin = new(XColor.FromArgb(150, 150, 150), 0.5);

        private XFont Font(string text, double size, bool bold)
        {
            var face = subset is not null && subset.Covers(text) ? subset.Family : family!;
            if (!fonts.TryGetValue((face, size, bold), out var font))
            {
                font = new XFont(face, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular,
                    new XPdfFontOptions(PdfFontEncoding.Unicode));
                fonts[(face, size, bold)] = font;
            }

            return font;
        }

        public void Text(string text, double size, bool bold, XColor color, double x, double y, double width, double height, XStringFormat format)
        {
            if (family is null || text.Length == 0)
            {
                return;
            }

            graphics.DrawString(text, Font(text, size, bold), Brush(color), new XRect(x, y, width, height), format);
        }

        public void Fill(XColor color, double x, double y, double width, double height) =>
            graphics.DrawRectangle(Brush(color), x, y, width, height);

        public void Frame(double x, double y, double width, double height) => graphics.DrawRectangle(thin, x, y, width, height);

        public void Line(double x1, double y1, double x2, double y2) => graphics.DrawLine(thin, x1, y1, x2, y2);

        public double Measure(string text, double size)
        {
            if (family is null)
            {
                return 0;
            }

            if (!widths.TryGetValue((text, size), out var width))
            {
                width = graphics.MeasureString(text, Font(text, size, false)).Width;
                widths[(text, size)] = width;
            }

            return width;
        }

        private XSolidBrush Brush(XColor color)
        {
            if (!brushes.TryGetValue(color, out var brush))
            {
                brush = new XSolidBrush(color);
                brushes[color] = brush;
            }

            return brush;
        }

        /// <summary>The text, or its longest prefix that fits with an ellipsis (by bisection: a few measurements).</summary>
        public string Fit(string text, double size, double width)
        {
            if (Measure(text, size) <= width)
            {
                return text;
            }

            int fits = 0, tooLong = text.Length;
            while (tooLong - fits > 1)
            {
                var middle = (fits + tooLong) / 2;
                if (Measure(string.Concat(text.AsSpan(0, middle), "…"), size) <= width)
                {
                    fits = middle;
                }
                else
                {
                    tooLong = middle;
                }
            }

            return text[..fits] + "…";
        }

        /// <summary>A header label on one line, or two when it is too wide.</summary>
        public (string One, string Two) Split(string text, double size, double width)
        {
            if (Measure(text, size) <= width)
            {
                return (text, "");
            }

            var lines = Wrap(text, size, width, 2);
            return (lines[0], lines.Count > 1 ? lines[1] : "");
        }

        /// <summary>Text broken into at most <paramref name="maxLines"/> lines of the width, the last one cut with an ellipsis.</summary>
        public IReadOnlyList<string> Wrap(string text, double size, double width, int maxLines)
        {
            var lines = new List<string>();
            var rest = text;
            while (rest.Length > 0 && lines.Count < maxLines - 1 && Measure(rest, size) > width)
            {
                // The longest prefix that fits, by bisection.
                int fits = 1, tooLong = rest.Length;
                while (tooLong - fits > 1)
                {
                    var middle = (fits + tooLong) / 2;
                    if (Measure(rest[..middle], size) <= width)
                    {
                        fits = middle;
                    }
                    else
                    {
                        tooLong = middle;
                    }
                }

                lines.Add(rest[..fits]);
                rest = rest[fits..];
            }

            if (rest.Length > 0)
            {
                lines.Add(Fit(rest, size, width));
            }

            return lines;
        }
    }
}
