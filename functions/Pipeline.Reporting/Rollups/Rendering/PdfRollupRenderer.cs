using System.Text;
using Microsoft.IO;
using Pipeline.Reporting.Catalogue;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// A printable A4 landscape page, for the prefecture and for a county alike: title, date and revision,
/// completeness and the previous day's, the table of the key indicators (a row per county, or per township of a county,
/// then the total, the like-for-like change and its basis, the cumulative total), the missing units by county, what
/// changed since the revision before, and a chart of the key indicators in small multiples (each on its own scale, so
/// 47 fever referrals read as well as 25,519 persons checked, every bar named). What the page cannot hold goes on over
/// the next, under a running head: the rest of the missing units (every one is listed, for the officials to call), or
/// the chart when it would be too low to read. Text is real text in a subset of the Chinese font
/// (PDFsharp embeds only the glyphs used), so it can be selected, searched and extracted; the chart is drawn, not pasted.
/// </summary>
public sealed class PdfRollupRenderer(RollupTables tables, IndicatorCatalogue catalogue, PdfFontLocator fonts, RecyclableMemoryStreamManager buffers)
    : BufferedRollupRenderer(buffers)
{
    private const double PageWidth = 842;
    private const double PageHeight = 595;
    private const double Margin = 28;
    private const double ContentWidth = PageWidth - 2 * Margin;
    private const double Bottom = PageHeight - Margin;
    private const int MaxChangedUnitsListed = 12;

    /// <summary>The summary table's rows after its parts: the total, the change, its basis, the cumulative total.</summary>
    private const int SummaryRows = 4;

    /// <summary>Kept free under the table for the missing units' lines.</summary>
    private const double ReservedBelowTable = 40;

    /// <summary>The row that stands for the parts that did not fit.</summary>
    private const int MoreParts = -1;

    private const double MissingSize = 7.5;
    private const double MissingLine = 10;

    /// <summary>A county's missing units after its first line are indented by this much.</summary>
    private const double MissingIndent = 10;

    /// <summary>
    /// The most missing units the pages name, about four pages of them: far more than a prefecture has townships (Gannan
    /// has about 100). Beyond it (a synthetic area of 100,000 townships), a county's line counts the rest.
    /// </summary>
    private const int MaxMissingListed = 2_000;

    /// <summary>A bar's slot at the least in a chart whose names stand upright under the bars: a 6 pt line and a point between.</summary>
    private const double MinSlot = 7.5;

    private const double ChartFont = 6;

    /// <summary>A panel's title line and the space above its tallest bar for a value across.</summary>
    private const double PanelTop = 24;

    /// <summary>The length of an upright name at the most (names of 7 characters fit); a longer one is cut with an ellipsis.</summary>
    private const double MaxNameLength = 44;

    /// <summary>The bars' height at the least, with the values upright above them: below it, the chart goes on the next page.</summary>
    private const double MinPlotHeight = 40;

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

        using (var pen = new Page(document, fonts.Family, subset.Value, tables.Text("rollup.continued", tables.Title(rollup)) + "　" + tables.Subtitle(rollup)))
        {
            var y = DrawHeader(pen, rollup);
            y = DrawTable(pen, rollup, y + 4);
            y = DrawMissing(pen, rollup, y + 5);
            y = DrawRevisionChanges(pen, rollup, y + 2);
            DrawChart(pen, rollup, y + 6);
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

    /// <summary>
    /// The missing units by county, each county's over as many lines as it needs (two counties side by side for the
    /// prefecture), on over the next pages when this one is full; or a line saying none is missing.
    /// </summary>
    private double DrawMissing(Page page, RollupDocument rollup, double top)
    {
        var y = top;
        var byCounty = tables.MissingByCounty(rollup);
        if (byCounty.Count == 0)
        {
            page.Text(tables.Text("rollup.noneMissing"), 8.5, true, Ink, Margin, y, ContentWidth, 12, XStringFormats.CenterLeft);
            return y + 12;
        }

        var heading = tables.Text("rollup.sheet.missing");
        if (y + 12 + MissingLine > Bottom)
        {
            y = page.Next();
        }

        page.Text(heading, 8.5, true, Ink, Margin, y, ContentWidth, 12, XStringFormats.CenterLeft);
        y += 12;
        // Two columns for the prefecture's counties; a county's lines run across the page.
        var columns = byCounty.Count > 1 ? 2 : 1;
        var width = ContentWidth / columns;
        var listable = MaxMissingListed;
        for (var first = 0; first < byCounty.Count; first += columns)
        {
            var row = new List<IReadOnlyList<string>>(columns);
            for (var i = first; i < Math.Min(first + columns, byCounty.Count); i++)
            {
                var (county, count, names) = byCounty[i];
                var listed = Math.Min(names.Count, listable);
                listable -= listed;
                row.Add(MissingLines(page, county, count, names, listed, width - 8));
            }

            // The row's lines, as many as the page holds, then the rest on the next page; each county's drawn in turn,
            // so that its names read (and are copied) in order.
            var height = row.Max(lines => lines.Count);
            for (var drawn = 0; drawn < height;)
            {
                if (y + MissingLine > Bottom)
                {
                    y = page.Next();
                    page.Text(tables.Text("rollup.continued", heading), 8.5, true, Ink, Margin, y, ContentWidth, 12, XStringFormats.CenterLeft);
                    y += 12;
                }

                var fits = Math.Min(height - drawn, (int)((Bottom - y) / MissingLine));
                for (var c = 0; c < row.Count; c++)
                {
                    for (var l = drawn; l < Math.Min(drawn + fits, row[c].Count); l++)
                    {
                        var indent = l == 0 ? 0 : MissingIndent;
                        page.Text(row[c][l], MissingSize, false, Ink, Margin + c * width + 4 + indent, y + (l - drawn) * MissingLine, width - 8 - indent,
                            MissingLine, XStringFormats.CenterLeft);
                    }
                }

                y += fits * MissingLine;
                drawn += fits;
            }
        }

        return y;
    }

    /// <summary>
    /// "迭部县（9 个）：电尕镇、…" broken between names into lines of the width (the first <paramref name="listed"/> names,
    /// then a count of the rest). Each name is measured once, not the line again per character.
    /// </summary>
    private List<string> MissingLines(Page page, string county, int count, IReadOnlyList<string> names, int listed, double width)
    {
        var lines = new List<string>();
        var line = new StringBuilder(tables.Text("rollup.missingInCounty", county, count, ""));
        var used = page.Measure(line.ToString(), MissingSize);
        var separator = page.Measure("、", MissingSize);
        var room = width;
        void Add(string text, bool last)
        {
            var length = page.Measure(text, MissingSize) + (last ? 0 : separator);
            if (used > 0 && used + length > room)
            {
                lines.Add(line.ToString());
                line.Clear();
                (used, room) = (0, width - MissingIndent);
            }

            // A name wider than the whole line (none in a registry) is cut.
            line.Append(length > room ? page.Fit(text, MissingSize, room - separator) : text).Append(last ? "" : "、");
            used += length;
        }

        for (var i = 0; i < listed; i++)
        {
            Add(names[i], i == listed - 1 && listed == names.Count);
        }

        if (listed < names.Count)
        {
            Add(tables.Text("rollup.missingMore", names.Count - listed), last: true);
        }

        lines.Add(line.ToString());
        return lines;
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

        if (y + lines.Count * 10 > Bottom)
        {
            y = page.Next();
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
    /// township) and its total in the panel's title; parts that did not report it have no bar. Every bar is named and
    /// carries its value: across when the slot holds the name (the prefecture's counties), else upright in a small font
    /// (a county's townships), the values across where they fit, else upright above the bars. An area of more parts than
    /// slots of <see cref="MinSlot"/> shows its first parts and counts the rest, as the table does. A chart too low for
    /// its bars goes on the next page.
    /// </summary>
    private void DrawChart(Page page, RollupDocument rollup, double top)
    {
        var indicators = KeyIndicators;
        if (indicators.Count == 0)
        {
            return;
        }

        const int Columns = 4;
        var rowsOfPanels = (indicators.Count + Columns - 1) / Columns;
        const double Gap = 8;
        var panelWidth = (ContentWidth - (Columns - 1) * Gap) / Columns;
        var all = tables.Parts(rollup);
        var shown = Math.Min(all.Count, (int)((panelWidth - 8) / MinSlot));
        var parts = shown < all.Count ? all.Take(shown).ToList() : all;
        // Names across when each fits its slot, else upright under the bars, as long as the longest.
        var longest = parts.Count == 0 ? 0 : parts.Max(p => page.Measure(p.Name, ChartFont));
        var across = longest <= (panelWidth - 8) / Math.Max(1, parts.Count) - 1;
        var nameBand = across ? 10 : Math.Min(MaxNameLength, longest) + 3;
        if (Bottom - top < 13 + rowsOfPanels * (PanelTop + MinPlotHeight + nameBand + 2) + (rowsOfPanels - 1) * Gap)
        {
            top = page.Next();
        }

        var title = tables.Text("rollup.chart", rollup.Scope.Name);
        if (shown < all.Count)
        {
            title += tables.Text("rollup.moreParts", all.Count - shown, tables.Text(rollup.IsPrefecture ? "rollup.column.county" : "rollup.column.unit"));
        }

        page.Text(page.Fit(title, 8.5, ContentWidth), 8.5, true, Ink, Margin, top, ContentWidth, 12, XStringFormats.CenterLeft);
        top += 13;
        var panelHeight = (Bottom - top - (rowsOfPanels - 1) * Gap) / rowsOfPanels;
        // The same names under every panel: fitted to their slot, or to the upright band, once.
        var slot = (panelWidth - 8) / Math.Max(1, parts.Count);
        var names = parts.Select(p => page.Fit(p.Name, ChartFont, across ? slot : MaxNameLength)).ToList();
        for (var i = 0; i < indicators.Count; i++)
        {
            var x = Margin + (i % Columns) * (panelWidth + Gap);
            var y = top + (i / Columns) * (panelHeight + Gap);
            DrawPanel(page, indicators[i], rollup, parts, names, x, y, panelWidth, panelHeight, across, nameBand);
        }
    }

    private static void DrawPanel(
        Page page, Indicator indicator, RollupDocument rollup,
        IReadOnlyList<(string Code, string Name, CompletenessCounts Counts, IReadOnlyDictionary<string, decimal> Totals)> parts,
        IReadOnlyList<string> names, double x, double y, double width, double height, bool across, double nameBand)
    {
        page.Frame(x, y, width, height);
        var total = rollup.Totals.TryGetValue(indicator.Key, out var t) ? RollupTables.Grouped(t) : "—";
        page.Text(page.Fit(indicator.LabelZh, 8, width - 60), 8, true, Ink, x + 4, y + 1, width - 8, 12, XStringFormats.CenterLeft);
        page.Text(total, 8, true, Ink, x + 4, y + 1, width - 8, 12, XStringFormats.CenterRight);
        var values = parts.Select(p => p.Totals.TryGetValue(indicator.Key, out var v) ? (decimal?)v : null).ToList();
        var labels = values.Select(v => v is { } n ? RollupTables.Grouped(n) : "").ToList();
        var max = values.Max() ?? 0;
        var slot = (width - 8) / Math.Max(1, parts.Count);
        // A panel's values all across or all upright, so that they read alike.
        var widest = labels.Count == 0 ? 0 : labels.Max(l => page.Measure(l, ChartFont));
        var valuesAcross = across || widest <= slot - 1;
        var plotTop = y + (valuesAcross ? PanelTop : PanelTop - 9 + widest + 3);
        var plotBottom = y + height - nameBand - 2;
        var barWidth = Math.Max(1.5, slot * 0.62);
        page.Line(x + 4, plotBottom, x + width - 4, plotBottom);
        var upright = new List<UprightText>(across ? parts.Count : 2 * parts.Count);
        for (var p = 0; p < parts.Count; p++)
        {
            var cx = x + 4 + slot * p + slot / 2;
            if (values[p] is { } value)
            {
                var h = max > 0 ? (double)(value / max) * (plotBottom - plotTop) : 0;
                page.Fill(Bar, cx - barWidth / 2, plotBottom - h, barWidth, Math.Max(h, 0.6));
                if (valuesAcross)
                {
                    page.Text(labels[p], ChartFont, false, Ink, cx - slot / 2, plotBottom - h - 9, slot, 9, XStringFormats.BottomCenter);
                }
                else
                {
                    upright.Add(new UprightText(labels[p], Ink, cx, plotBottom - h - 2, widest + 1, StartsAt: true));
                }
            }

            if (across)
            {
                page.Text(names[p], ChartFont, false, Muted, cx - slot / 2, plotBottom + 1, slot, nameBand,
                    XStringFormats.TopCenter);
            }
            else
            {
                upright.Add(new UprightText(names[p], Muted, cx, plotBottom + 2, MaxNameLength, StartsAt: false));
            }
        }

        page.Upright(upright, ChartFont);
    }

    /// <summary>
    /// Text turned to read upward, centred on <paramref name="X"/>: from <paramref name="Y"/> up when it
    /// <paramref name="StartsAt"/> it (a value above its bar), else ending at it (a name under the axis), <paramref name="Length"/> long at most.
    /// </summary>
    private sealed record UprightText(string Text, XColor Color, double X, double Y, double Length, bool StartsAt);

    /// <summary>Drawing on the page with the located font (its subset where it covers the text); without a font, shapes only.</summary>
    private sealed class Page : IDisposable
    {
        private readonly PdfDocument document;
        private readonly string? family;
        private readonly PdfFontSubset? subset;

        /// <summary>What a further page says at its top: the title, continued, and the date and revision.</summary>
        private readonly string running;
        private XGraphics graphics;

        private readonly Dictionary<(string, double, bool), XFont> fonts = [];
        private readonly Dictionary<XColor, XSolidBrush> brushes = [];

        /// <summary>Widths measured on this page: the chart's panels fit the same names, and fitting and wrapping measure the same text again.</summary>
        private readonly Dictionary<(string, double), double> widths = [];
        private readonly XPen thin = new(XColor.FromArgb(150, 150, 150), 0.5);

        public Page(PdfDocument document, string? family, PdfFontSubset? subset, string running)
        {
            (this.document, this.family, this.subset, this.running) = (document, family, subset, running);
            graphics = Add();
        }

        /// <summary>Goes on on a further page, under the running head; where its content starts.</summary>
        public double Next()
        {
            graphics.Dispose();
            graphics = Add();
            Text(Fit(running, 9, ContentWidth), 9, true, Muted, Margin, Margin, ContentWidth, 14, XStringFormats.CenterLeft);
            return Margin + 20;
        }

        public void Dispose() => graphics.Dispose();

        private XGraphics Add()
        {
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            return XGraphics.FromPdfPage(page);
        }

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

        /// <summary>
        /// Texts turned a quarter to read upward, each about its own point, all in one turn of the page: PDFsharp copies the
        /// whole graphics state at each save, and a save and restore around every label of a chart cost more than drawing it.
        /// </summary>
        public void Upright(IReadOnlyList<UprightText> texts, double size)
        {
            if (family is null || texts.Count == 0)
            {
                return;
            }

            var state = graphics.Save();
            graphics.RotateTransform(Quarter);
            foreach (var text in texts.Where(t => t.Text.Length > 0))
            {
                var point = new XPoint(text.X, text.Y);
                var moved = TurnBack.Transform(point) - point;
                graphics.DrawString(text.Text, Font(text.Text, size, false), Brush(text.Color),
                    new XRect((text.StartsAt ? text.X : text.X - text.Length) + moved.X, text.Y - size + moved.Y, text.Length, 2 * size),
                    text.StartsAt ? XStringFormats.CenterLeft : XStringFormats.CenterRight);
            }

            graphics.Restore(state);
        }

        /// <summary>A quarter turn that makes text read upward.</summary>
        private const double Quarter = -90;

        /// <summary>
        /// The quarter turn undone: a text turned about its point p is the text moved by (p turned back) - p, then turned
        /// about the origin with the others.
        /// </summary>
        private static readonly XMatrix TurnBack = QuarterUndone();

        private static XMatrix QuarterUndone()
        {
            var back = XMatrix.Identity;
            back.RotatePrepend(Quarter);
            back.Invert();
            return back;
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
