using System.Globalization;
using System.Text;
using CsvHelper;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Pipeline.Functions.Tests.Reliability;

/// <summary>Reads every cell of an exported CSV (with CsvHelper) or XLSX (with DocumentFormat.OpenXml).</summary>
internal static class ExportCells
{
    public static IReadOnlyList<ExportCell> Csv(byte[] bytes)
    {
        var cells = new List<ExportCell>();
        using var csv = new CsvReader(new StreamReader(new MemoryStream(bytes), Encoding.UTF8), CultureInfo.InvariantCulture);
        var line = 0;
        while (csv.Read())
        {
            line++;
            for (var column = 0; column < csv.Parser.Count; column++)
            {
                var text = csv.GetField(column) ?? "";
                // A CSV cell has no type: "-5" is a number to Excel, "-2+3+cmd|..." is a formula.
                var isNumber = decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _);
                cells.Add(new ExportCell($"csv line {line} column {column + 1}", text, isNumber, IsFormula: false));
            }
        }

        return cells;
    }

    public static IReadOnlyList<ExportCell> Xlsx(byte[] bytes)
    {
        var cells = new List<ExportCell>();
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbook = document.WorkbookPart!;
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        foreach (var sheet in workbook.Workbook.Sheets!.Elements<Sheet>())
        {
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
            var line = 0;
            foreach (var row in part.Worksheet.Descendants<Row>())
            {
                line++;
                var column = 0;
                foreach (var cell in row.Elements<Cell>())
                {
                    column++;
                    var type = cell.DataType?.Value;
                    var text = type == CellValues.InlineString ? cell.InlineString?.InnerText ?? ""
                        : type == CellValues.SharedString ? shared[int.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture)]
                        : cell.CellValue?.Text ?? "";
                    var isNumber = (type is null || type == CellValues.Number) && cell.CellFormula is null;
                    cells.Add(new ExportCell($"xlsx {sheet.Name} row {line} column {column}", text, isNumber, cell.CellFormula is not null));
                }
            }
        }

        return cells;
    }
}
