using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.IO;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// The workbook officials open in Excel or WPS and print: sheets 汇总 (one indicator a row, fits one A4 landscape
/// page), 乡镇明细 (every unit with the key indicators, notes and the reporter), 未报送 (grouped by county), 版本变化 (what
/// changed since the revision before), 乡镇全部指标 (every unit, every indicator). Every sheet starts with the title block (title, date and revision, generated at, completeness,
/// the previous day, provisional), prints A4 landscape one page wide with its header row repeated on every page
/// (print titles), and has frozen panes under the header. Numbers are numbers; text that could run as a formula is
/// neutralised. The rows go straight into the part as UTF-8 (<see cref="XlsxSheetDataWriter"/>, the bytes the SDK's writer
/// would write), the rest of a sheet through the XML writer: a large area's unit sheet (100,000 rows of 50 cells) never
/// stands in memory as a document tree.
/// </summary>
public sealed class XlsxRollupRenderer(RollupTables tables, RecyclableMemoryStreamManager buffers) : BufferedRollupRenderer(buffers), IMeasuredRollupRenderer
{
    private const uint TextStyle = 0;
    private const uint HeaderStyle = 1;
    private const uint MoneyStyle = 2;
    private const uint TitleStyle = 3;
    private const uint IntegerStyle = 4;
    private const uint BoldIntegerStyle = 5;
    private const uint BoldMoneyStyle = 6;
    private const uint BoldTextStyle = 7;
    private const uint WrapStyle = 8;
    private const uint WarningStyle = 9;
    private const uint WrappedTitleStyle = 10;
    private const uint WrappedWarningStyle = 11;

    /// <summary>The typeface of every cell: one that Excel and WPS on Windows have, so regular and bold text print alike.</summary>
    private const string FontName = "微软雅黑";

    /// <summary>Row heights in points: a line of 11-point text, of the 16-point title, and the header's two lines.</summary>
    private const int LineHeight = 15;
    private const int TitleLineHeight = 22;
    private const int HeaderHeight = 30;

    private const string Prefix = "x";
    private const string Namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XmlWriterSettings XmlSettings = new() { Encoding = new UTF8Encoding(true) };

    /// <summary>The widest a column gets (characters); longer text (notes) wraps.</summary>
    private const double MaxWidth = 30;

    public override string Format => "xlsx";

    public override string Name => "rollup.xlsx";

    public override string ContentType => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    protected override void Write(RollupDocument rollup, Stream buffer) => Write(rollup, buffer, null);

    /// <summary>
    /// The unit sheets' column widths (the widest cell of each column over every unit) taken county by county as an area is
    /// read: the same widths as the pass over the whole document, which the file then need not make after the read.
    /// </summary>
    public IRollupMeasure Measure(RollupDocument start) => new UnitWidths(this, start);

    public Task WriteAsync(RollupDocument rollup, IRollupMeasure measure, Stream destination, CancellationToken cancellationToken) =>
        WriteBufferedAsync(buffer => Write(rollup, buffer, (UnitWidths)measure), destination, cancellationToken);

    /// <summary>Every indicator of every township: the last sheet, for working with the figures.</summary>
    private RollupTable AllUnits(RollupDocument rollup) => tables.Units(rollup, sheet: "rollup.sheet.allIndicators");

    /// <param name="measured">The all-indicator sheet's widths, measured as the units came; null to measure them here.</param>
    private void Write(RollupDocument rollup, Stream buffer, UnitWidths? measured)
    {
        var titleBlock = tables.TitleBlock(rollup);
        // On paper the townships with the key indicators, notes and reporters (a readable page width); every indicator of
        // every township on the last sheet, for working with the figures.
        var keyUnits = tables.Units(rollup, tables.KeyIndicators);
        var allUnits = AllUnits(rollup);
        var sheets = new (RollupTable Table, bool OnePage, int FrozenColumns)[]
        {
            (tables.SummaryByIndicator(rollup), true, 2),
            (keyUnits, false, 2),
            (tables.Missing(rollup), false, 0),
            (tables.RevisionChanges(rollup), false, 0),
            (allUnits, false, 2),
        };
        // Widths first (columns precede the data in a sheet): a pass over every sheet's rows, but one for both unit sheets,
        // whose key-indicator columns are columns of the other (a large area's unit sheets are 100,000 rows each).
        var allWidths = measured is null ? Widths(allUnits) : measured.Of(rollup);
        var keyWidths = ((UnitRows)keyUnits.Rows).ColumnsWithin((UnitRows)allUnits.Rows) is { } within
            ? within.Select(c => allWidths[c]).ToArray()
            : Widths(keyUnits);
        var printTitles = new DefinedNames();
        // The header row sits under the title block and one blank row.
        var headerRow = titleBlock.Count + 2;
        using var package = new XlsxPackage(buffer, Stylesheet());
        for (var i = 0; i < sheets.Length; i++)
        {
            var (table, onePage, frozenColumns) = sheets[i];
            var widths = table == allUnits ? allWidths : table == keyUnits ? keyWidths : Widths(table);
            using (var part = package.AddWorksheet(table.Name))
            {
                WriteWorksheet(part, table, widths, titleBlock, rollup.Provisional, headerRow, onePage, frozenColumns);
            }

            printTitles.Append(new DefinedName($"'{table.Name}'!${headerRow}:${headerRow}") { Name = "_xlnm.Print_Titles", LocalSheetId = (uint)i });
        }

        package.Complete(printTitles);
    }

    /// <summary>Each column's display width: the widest of its cells, and of its header up to 12.</summary>
    private static double[] Widths(RollupTable table)
    {
        var widths = new ColumnWidths(table.Headers);
        for (var r = 0; r < table.Rows.Count; r++)
        {
            widths.Row(table, r);
        }

        return widths.Widths;
    }

    /// <summary>
    /// Each title line's style and row height: 0 (its font's own) where it fits in <paramref name="sheetWidth"/> (character
    /// units), else a wrapping style and the height of the lines it wraps to. The width of a line is counted as the columns
    /// are (a CJK character two), with a tenth to spare for the font's own widths and the cell's padding.
    /// </summary>
    private static List<(uint Style, int Height)> TitleLines(IReadOnlyList<string> titleBlock, bool provisional, double sheetWidth)
    {
        var lines = new List<(uint, int)>(titleBlock.Count);
        for (var line = 0; line < titleBlock.Count; line++)
        {
            var isTitle = line == 0;
            var isProvisional = provisional && line == titleBlock.Count - 1;
            var width = TextWidth(titleBlock[line]) * (isTitle ? 16.0 / 11 : 1) * 1.1;
            var wrapsTo = (int)Math.Ceiling(width / sheetWidth);
            lines.Add(wrapsTo <= 1
                ? (isTitle ? TitleStyle : isProvisional ? WarningStyle : TextStyle, 0)
                : (isTitle ? WrappedTitleStyle : isProvisional ? WrappedWarningStyle : WrapStyle, wrapsTo * (isTitle ? TitleLineHeight : LineHeight)));
        }

        return lines;
    }

    /// <summary>The parts of a worksheet in the order the schema wants them, streamed.</summary>
    private static void WriteWorksheet(
        Stream part, RollupTable table, double[] widths, IReadOnlyList<string> titleBlock, bool provisional, int headerRow, bool onePage,
        int frozenColumns)
    {
        // The XML writer the SDK's OpenXmlWriter would wrap (UTF-8 with a byte order mark), used directly: the SDK's
        // writer looks up each element's metadata, prefix and namespace per call, most of a large sheet's time.
        using var writer = XmlWriter.Create(part, XmlSettings);
        writer.WriteStartDocument();
        writer.WriteStartElement(Prefix, "worksheet", Namespace);
        Write(writer, new SheetProperties(new PageSetupProperties { FitToPage = true }));
        var topLeft = CellReference(frozenColumns, headerRow + 1);
        var pane = new Pane
        {
            VerticalSplit = headerRow,
            TopLeftCell = topLeft,
            ActivePane = frozenColumns > 0 ? PaneValues.BottomRight : PaneValues.BottomLeft,
            State = PaneStateValues.Frozen,
        };
        if (frozenColumns > 0)
        {
            pane.HorizontalSplit = frozenColumns;
        }

        Write(writer, new SheetViews(new SheetView(
            pane,
            new Selection { Pane = pane.ActivePane, ActiveCell = topLeft, SequenceOfReferences = new ListValue<StringValue> { InnerText = topLeft } })
        { WorkbookViewId = 0 }));
        var columnWidths = widths.Select(w => Math.Clamp(w + 2, 6, MaxWidth + 2)).ToArray();
        Write(writer, new Columns(columnWidths.Select((w, i) =>
            new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = w, CustomWidth = true })));
        var title = TitleLines(titleBlock, provisional, columnWidths.Sum());

        // The rows go straight into the part as UTF-8, between what the XML writer wrote before them and after.
        writer.Flush();
        using (var cells = new CellWriter(new XlsxSheetDataWriter(part)))
        {
            for (var line = 0; line < title.Count; line++)
            {
                cells.Row(line + 1, [titleBlock[line]], title[line].Style, title[line].Height);
            }

            cells.Row(headerRow, table.Headers, HeaderStyle, HeaderHeight);
            var index = headerRow + 1;
            for (var r = 0; r < table.Rows.Count; r++)
            {
                cells.Row(index++, table, r, table.IsEmphasised(r) ? BoldTextStyle : TextStyle);
            }
        }

        // A title line wider than the sheet's columns would print cut at the page's edge: it spans them and wraps instead.
        var wrapped = title.Select((t, i) => (t.Height, Row: i + 1)).Where(t => t.Height > 0).ToList();
        var last = widths.Length - 1;
        if (wrapped.Count > 0 && last > 0)
        {
            Write(writer, new MergeCells(wrapped.Select(t => new MergeCell { Reference = $"A{t.Row}:{CellReference(last, t.Row)}" })) { Count = (uint)wrapped.Count });
        }

        Write(writer, new PageMargins { Left = 0.4, Right = 0.4, Top = 0.5, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
        // A4 landscape, one page wide; the summary also one page tall, the long sheets as many pages as they need.
        Write(writer, new PageSetup
        {
            PaperSize = 9,
            Orientation = OrientationValues.Landscape,
            FitToWidth = 1,
            FitToHeight = onePage ? 1u : 0u,
        });
        Write(writer, new HeaderFooter(new OddFooter($"&L{Escape(titleBlock[0])}&C&P / &N")));
        writer.WriteEndElement();
    }

    private static void Write(XmlWriter writer, OpenXmlElement element) => element.WriteTo(writer);

    /// <summary>Rows of cells as the SDK's elements would write them (same names, attributes and order), each cell styled by its content.</summary>
    private sealed class CellWriter(XlsxSheetDataWriter sheet) : ITableCells, IDisposable
    {
        private uint textStyle;
        private bool bold;
        private bool wrapsLong;

        /// <summary>A row of text cells (title lines, the header), <paramref name="height"/> points high where its text wraps (the header's long indicator labels), else 0.</summary>
        public void Row(int index, IReadOnlyList<string> texts, uint style, int height)
        {
            Start(index, style, wrapsLong: false, height);
            foreach (var text in texts)
            {
                Text(text);
            }

            sheet.EndRow();
        }

        /// <summary>A row of a table; text wider than the widest column wraps.</summary>
        public void Row(int index, RollupTable table, int row, uint style)
        {
            Start(index, style, wrapsLong: true, height: 0);
            table.WriteRow(row, this);
            sheet.EndRow();
        }

        public void Number(decimal value)
        {
            var whole = value.Scale == 0 || decimal.Truncate(value) == value;
            sheet.Number(whole ? bold ? BoldIntegerStyle : IntegerStyle : bold ? BoldMoneyStyle : MoneyStyle, value);
        }

        public void Text(string text) => sheet.Text(wrapsLong && WiderThanMax(text) ? WrapStyle : textStyle, SpreadsheetText.Safe(text));

        /// <summary>An empty cell holds its place (cells carry no reference); in a styled row it keeps the style.</summary>
        public void Empty() => sheet.Empty(textStyle == HeaderStyle || bold ? textStyle : TextStyle);

        public void Dispose() => sheet.Dispose();

        private void Start(int index, uint style, bool wrapsLong, int height)
        {
            sheet.StartRow(index, height);
            (textStyle, bold, this.wrapsLong) = (style, style is BoldTextStyle, wrapsLong);
        }

        /// <summary>Whether the text is wider than <see cref="MaxWidth"/>, counted only when its length leaves it in doubt (a character is one or two wide).</summary>
        private static bool WiderThanMax(string text) => text.Length > MaxWidth || (text.Length * 2 > MaxWidth && TextWidth(text) > MaxWidth);
    }

    /// <summary>The all-indicator unit sheet's widths over units given in pieces: the widest of each piece's, the widest of all.</summary>
    private sealed class UnitWidths(XlsxRollupRenderer renderer, RollupDocument start) : IRollupMeasure
    {
        private double[]? widths;
        private int units;

        public void Add(IReadOnlyList<UnitRollup> piece)
        {
            var measured = Widths(renderer.AllUnits(start with { Units = piece }));
            units += piece.Count;
            if (widths is null)
            {
                widths = measured;
                return;
            }

            for (var c = 0; c < widths.Length; c++)
            {
                widths[c] = Math.Max(widths[c], measured[c]);
            }
        }

        /// <summary>The widths for <paramref name="rollup"/>, whose units must be the ones added.</summary>
        public double[] Of(RollupDocument rollup)
        {
            if (rollup.Units.Count != units)
            {
                throw new InvalidOperationException($"The document holds {rollup.Units.Count} units, the measure {units}.");
            }

            return widths ?? Widths(renderer.AllUnits(rollup));
        }
    }

    /// <summary>Each column's widest cell, measured row by row as the cells are written (no row's array is made).</summary>
    private sealed class ColumnWidths(IReadOnlyList<string> headers) : ITableCells
    {
        private int column;

        public double[] Widths { get; } = [.. headers.Select(h => (double)Math.Min(TextWidth(h), 12))];

        public void Row(RollupTable table, int row)
        {
            column = 0;
            table.WriteRow(row, this);
        }

        public void Text(string text) => Widen(TextWidth(text));

        public void Number(decimal value) => Widen(GroupedLength(value) + 1);

        public void Empty() => column++;

        private void Widen(double width)
        {
            // Cells beyond the headers are not measured (no column holds them).
            if (column < Widths.Length)
            {
                Widths[column] = Math.Max(Widths[column], width);
            }

            column++;
        }
    }

    /// <summary>A1-style reference of a 0-based column and 1-based row.</summary>
    private static string CellReference(int column, int row)
    {
        var name = "";
        for (var c = column + 1; c > 0; c = (c - 1) / 26)
        {
            name = (char)('A' + (c - 1) % 26) + name;
        }

        return name + row.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Header and footer text treats &amp; as a code.</summary>
    private static string Escape(string text) => text.Replace("&", "&&", StringComparison.Ordinal);

    /// <summary>Display width in character units: CJK characters take two.</summary>
    private static int TextWidth(string text)
    {
        var width = 0;
        foreach (var c in text)
        {
            width += c > 0x2E80 ? 2 : 1;
        }

        return width;
    }

    /// <summary>The length of <see cref="RollupTables.Grouped"/>'s text, formatted on the stack (every number cell is measured).</summary>
    private static int GroupedLength(decimal number)
    {
        if (WholeNumber.TryGet(number, out var magnitude, out var negative))
        {
            // A whole number (most figures): its digits, a separator every three, the sign (none for zero); no formatting.
            var digits = WholeNumber.Digits(magnitude);
            return digits + (digits - 1) / 3 + (negative && magnitude != 0 ? 1 : 0);
        }

        Span<char> text = stackalloc char[64];
        return number.TryFormat(text, out var length, RollupTables.GroupedFormat, CultureInfo.InvariantCulture) ? length : RollupTables.Grouped(number).Length;
    }

    private static Stylesheet Stylesheet()
    {
        var thin = new Border(
            new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder());
        return new Stylesheet(
            new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "#,##0.00" }) { Count = 1 },
            new Fonts(
                Font(bold: false, 11),
                Font(bold: true, 11),
                Font(bold: true, 16),
                Font(bold: true, 11, color: "FFC00000"))
            { Count = 4 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDE6F2" }) { PatternType = PatternValues.Solid }))
            { Count = 3 },
            new Borders(new Border(), thin) { Count = 2 },
            new CellFormats(
                new CellFormat(),
                new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Center, Horizontal = HorizontalAlignmentValues.Center })
                { FontId = 1, FillId = 2, BorderId = 1, ApplyFont = true, ApplyFill = true, ApplyBorder = true, ApplyAlignment = true },
                new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
                new CellFormat { FontId = 2, ApplyFont = true },
                new CellFormat { NumberFormatId = 3, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = 3, FontId = 1, ApplyNumberFormat = true, ApplyFont = true },
                new CellFormat { NumberFormatId = 164, FontId = 1, ApplyNumberFormat = true, ApplyFont = true },
                new CellFormat { FontId = 1, ApplyFont = true },
                new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { ApplyAlignment = true },
                new CellFormat { FontId = 3, ApplyFont = true },
                new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { FontId = 2, ApplyFont = true, ApplyAlignment = true },
                new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { FontId = 3, ApplyFont = true, ApplyAlignment = true })
            { Count = 12 });
    }

    /// <summary>A font of <see cref="FontName"/>, its charset GB2312's (134) so that a reader without it takes a Chinese one.</summary>
    private static Font Font(bool bold, double size, string? color = null)
    {
        // In the order Excel writes a font's parts.
        var font = new Font();
        if (bold)
        {
            font.Append(new Bold());
        }

        font.Append(new FontSize { Val = size });
        if (color is not null)
        {
            font.Append(new Color { Rgb = color });
        }

        font.Append(new FontName { Val = FontName }, new FontFamilyNumbering { Val = 2 }, new FontCharSet { Val = 134 });
        return font;
    }
}
