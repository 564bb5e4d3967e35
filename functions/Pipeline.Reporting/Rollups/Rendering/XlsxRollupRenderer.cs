using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// The workbook officials open in Excel or WPS: sheets 汇总, 乡镇明细, 未报送; bold frozen header row, column
/// widths fitted to the text, numbers as numbers, text that could run as a formula neutralised.
/// </summary>
public sealed class XlsxRollupRenderer(RollupTables tables) : IRollupRenderer
{
    private const uint HeaderStyle = 1;
    private const uint MoneyStyle = 2;

    public RenderedFile Render(RollupDocument rollup)
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            uint id = 1;
            foreach (var table in new[] { tables.Summary(rollup), tables.Units(rollup), tables.Missing(rollup) })
            {
                var sheet = workbook.AddNewPart<WorksheetPart>();
                sheet.Worksheet = Worksheet(table);
                workbook.Workbook.Sheets!.Append(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = id++, Name = table.Name });
            }

            workbook.Workbook.Save();
        }

        return new RenderedFile("xlsx", "rollup.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer.ToArray());
    }

    private static Worksheet Worksheet(RollupTable table)
    {
        var data = new SheetData();
        data.Append(new Row(table.Headers.Select(h => TextCell(h, HeaderStyle))) { RowIndex = 1 });
        uint index = 2;
        foreach (var row in table.Rows)
        {
            data.Append(new Row(row.Select(Cell)) { RowIndex = index++ });
        }

        var widths = table.Headers.Select((header, column) =>
            Math.Clamp(table.Rows.Select(r => Width(r[column])).Append(Width(header)).Max() + 2, 6, 60)).ToList();
        var columns = new Columns(widths.Select((w, i) =>
            new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = w, CustomWidth = true }));
        var frozen = new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        { WorkbookViewId = 0 });
        // Printed on A4 landscape (the indicator columns run over several pages; the PDF is the one-page summary).
        return new Worksheet(
            frozen,
            columns,
            data,
            new PageMargins { Left = 0.4, Right = 0.4, Top = 0.5, Bottom = 0.5, Header = 0.3, Footer = 0.3 },
            new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape });
    }

    private static Cell Cell(object? value) => value switch
    {
        decimal number => new Cell
        {
            DataType = CellValues.Number,
            CellValue = new CellValue(number),
            StyleIndex = decimal.Truncate(number) == number ? 0 : MoneyStyle,
        },
        string text => TextCell(text, 0),
        _ => new Cell(),
    };

    private static Cell TextCell(string text, uint style) => new(new InlineString(new Text(SpreadsheetText.Safe(text))))
    {
        DataType = CellValues.InlineString,
        StyleIndex = style,
    };

    /// <summary>Display width in character units: CJK characters take two.</summary>
    private static double Width(object? value) => value switch
    {
        string text => text.Sum(c => c > 0x2E80 ? 2 : 1),
        decimal number => RollupTables.Number(number).Length + 1,
        _ => 0,
    };

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "#,##0.00" }) { Count = 1 },
        new Fonts(new Font(new FontSize { Val = 11 }), new Font(new Bold(), new FontSize { Val = 11 })) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true })
        { Count = 3 });
}
