using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// The workbook officials open in Excel or WPS: sheets 汇总, 乡镇明细, 未报送; bold frozen header row, column
/// widths fitted to the text, numbers as numbers, text that could run as a formula neutralised. Cells are written
/// straight to the sheet's XML stream: a large area's unit sheet (100,000 rows of 40 cells) never stands in memory as
/// a document tree, and costs a few seconds, not tens.
/// </summary>
public sealed class XlsxRollupRenderer(RollupTables tables) : IRollupRenderer
{
    private const uint HeaderStyle = 1;
    private const uint MoneyStyle = 2;
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

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
                WriteWorksheet(sheet, table);
                workbook.Workbook.Sheets!.Append(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = id++, Name = table.Name });
            }

            workbook.Workbook.Save();
        }

        return new RenderedFile("xlsx", "rollup.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer.ToArray());
    }

    /// <summary>The elements a <see cref="Worksheet"/> tree would hold, in its order, written one by one.</summary>
    private static void WriteWorksheet(WorksheetPart part, RollupTable table)
    {
        // Widths first (columns precede the data in a sheet): one pass over the rows.
        var widths = table.Headers.Select(Width).ToArray();
        foreach (var row in table.Rows)
        {
            for (var column = 0; column < widths.Length; column++)
            {
                widths[column] = Math.Max(widths[column], Width(row[column]));
            }
        }

        using var xml = XmlWriter.Create(part.GetStream(FileMode.Create, FileAccess.Write),
            new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = true });
        xml.WriteStartElement("x", "worksheet", Main);
        new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        { WorkbookViewId = 0 }).WriteTo(xml);
        new Columns(widths.Select((w, i) =>
            new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = Math.Clamp(w + 2, 6, 60), CustomWidth = true })).WriteTo(xml);
        xml.WriteStartElement("x", "sheetData", Main);
        WriteRow(xml, 1, table.Headers, HeaderStyle);
        var index = 2;
        foreach (var row in table.Rows)
        {
            WriteRow(xml, index++, row, 0);
        }

        xml.WriteEndElement();
        // Printed on A4 landscape (the indicator columns run over several pages; the PDF is the one-page summary).
        new PageMargins { Left = 0.4, Right = 0.4, Top = 0.5, Bottom = 0.5, Header = 0.3, Footer = 0.3 }.WriteTo(xml);
        new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape }.WriteTo(xml);
        xml.WriteEndElement();
    }

    /// <summary>A row of cells: numbers as numbers (money with two decimals), text inline, empty as an empty cell.</summary>
    private static void WriteRow(XmlWriter xml, int index, IEnumerable<object?> cells, uint textStyle)
    {
        xml.WriteStartElement("x", "row", Main);
        xml.WriteAttributeString("r", index.ToString(CultureInfo.InvariantCulture));
        foreach (var value in cells)
        {
            xml.WriteStartElement("x", "c", Main);
            switch (value)
            {
                case decimal number:
                    xml.WriteAttributeString("s", decimal.Truncate(number) == number ? "0" : MoneyStyle.ToString(CultureInfo.InvariantCulture));
                    xml.WriteAttributeString("t", "n");
                    xml.WriteElementString("x", "v", Main, number.ToString(CultureInfo.InvariantCulture));
                    break;
                case string text:
                    xml.WriteAttributeString("s", textStyle.ToString(CultureInfo.InvariantCulture));
                    xml.WriteAttributeString("t", "inlineStr");
                    xml.WriteStartElement("x", "is", Main);
                    xml.WriteElementString("x", "t", Main, SpreadsheetText.Safe(text));
                    xml.WriteEndElement();
                    break;
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

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
