using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Pipeline.Testing;

/// <summary>
/// Builds an .xlsx the way Excel saves one a county filled in: text in the shared strings table (rich text with a
/// phonetic guide too), numbers as numbers, a typed date as a date serial in a date style, a formula with its
/// cached result, cells with their references and empty cells left out.
/// </summary>
public static class ExcelWorkbook
{
    /// <summary>A date typed into a cell: a serial number in the built-in date style (14, yyyy/m/d in a Chinese locale).</summary>
    public sealed record Date(DateOnly Day);

    /// <summary>A date in the custom style Excel gives a typed 2026年11月27日.</summary>
    public sealed record ChineseDate(DateOnly Day);

    /// <summary>A formula with the result Excel saved with it.</summary>
    public sealed record Formula(string Expression, double Result);

    /// <summary>Text in runs of different fonts, with a phonetic guide (rPh) that is no part of its text.</summary>
    public sealed record Rich(params string[] Runs);

    /// <summary>A cell with nothing in it but a style (Excel writes these for formatted, empty cells).</summary>
    public sealed record Styled;

    private const uint DateStyle = 1;
    private const uint ChineseDateStyle = 2;
    private const uint TextStyle = 3;

    /// <param name="rows">Sheet row numbers and their cells from column A; null leaves the cell out.</param>
    public static byte[] Build(IEnumerable<(int Row, object?[] Cells)> rows, bool date1904 = false)
    {
        var strings = new List<OpenXmlElement>();
        int Shared(OpenXmlElement item)
        {
            strings.Add(item);
            return strings.Count - 1;
        }

        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            if (date1904)
            {
                workbook.Workbook.PrependChild(new WorkbookProperties { Date1904 = true });
            }

            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = new Stylesheet(
                new NumberingFormats(new NumberingFormat { NumberFormatId = 176, FormatCode = "yyyy\"年\"m\"月\"d\"日\";@" }) { Count = 1 },
                new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border()) { Count = 1 },
                new CellFormats(
                    new CellFormat(),
                    new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },
                    new CellFormat { NumberFormatId = 176, ApplyNumberFormat = true },
                    new CellFormat { NumberFormatId = 49, ApplyNumberFormat = true })
                { Count = 4 });

            var data = new SheetData();
            foreach (var (number, cells) in rows)
            {
                var row = new Row { RowIndex = (uint)number };
                for (var i = 0; i < cells.Length; i++)
                {
                    if (cells[i] is not { } content)
                    {
                        continue;
                    }

                    var cell = new Cell { CellReference = Reference(i, number) };
                    switch (content)
                    {
                        case string text:
                            cell.DataType = CellValues.SharedString;
                            cell.CellValue = new CellValue(Shared(new SharedStringItem(new Text(text) { Space = SpaceProcessingModeValues.Preserve })));
                            break;
                        case Rich rich:
                            var item = new SharedStringItem(rich.Runs.Select((r, k) =>
                                new Run(new RunProperties(k % 2 == 1 ? new Bold() : new Italic()), new Text(r) { Space = SpaceProcessingModeValues.Preserve })));
                            item.Append(new PhoneticRun(new Text("ピンイン")) { BaseTextStartIndex = 0, EndingBaseIndex = 1 });
                            cell.DataType = CellValues.SharedString;
                            cell.CellValue = new CellValue(Shared(item));
                            break;
                        case Date date:
                            cell.StyleIndex = DateStyle;
                            cell.CellValue = new CellValue(Serial(date.Day, date1904).ToString(CultureInfo.InvariantCulture));
                            break;
                        case ChineseDate date:
                            cell.StyleIndex = ChineseDateStyle;
                            cell.CellValue = new CellValue(Serial(date.Day, date1904).ToString(CultureInfo.InvariantCulture));
                            break;
                        case Formula formula:
                            cell.CellFormula = new CellFormula(formula.Expression);
                            cell.CellValue = new CellValue(formula.Result.ToString("R", CultureInfo.InvariantCulture));
                            break;
                        case Styled:
                            cell.StyleIndex = TextStyle;
                            break;
                        case IFormattable formattable:
                            cell.CellValue = new CellValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                            break;
                        default:
                            throw new ArgumentException($"No cell for {content}.");
                    }

                    row.Append(cell);
                }

                data.Append(row);
            }

            var sheet = workbook.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(data);
            var table = workbook.AddNewPart<SharedStringTablePart>();
            table.SharedStringTable = new SharedStringTable(strings) { Count = (uint)strings.Count, UniqueCount = (uint)strings.Count };
            workbook.Workbook.Sheets!.Append(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "Sheet1" });
            workbook.Workbook.Save();
        }

        return buffer.ToArray();
    }

    /// <summary>The serial Excel stores for a day: days since 1899-12-30, or since 1904-01-01 in the 1904 system.</summary>
    public static int Serial(DateOnly day, bool date1904 = false) =>
        day.DayNumber - (date1904 ? new DateOnly(1904, 1, 1) : new DateOnly(1899, 12, 30)).DayNumber;

    public static string Reference(int column, int row)
    {
        var letters = "";
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters + row.ToString(CultureInfo.InvariantCulture);
    }
}
