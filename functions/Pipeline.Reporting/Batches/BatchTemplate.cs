using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Batches;

/// <summary>
/// The file a county fills in for a batch: the header in the caller's language (the catalogue's Chinese labels
/// by default, as counties' Excel templates carry them; <see cref="BatchColumns"/> reads them back), then one row
/// per township of the scope with its code, name and the report date filled in. As CSV it is written as Excel's
/// "CSV UTF-8" writes it (BOM, CRLF), so Excel and WPS open it with the Chinese intact and save it back the same
/// way; as XLSX the code, name, date, notes, reporter and phone columns are text-formatted, so Excel neither turns
/// a unit code or a phone number into a number nor a typed date into a serial, and the indicators take numbers.
/// </summary>
public sealed class BatchTemplate(IndicatorCatalogue catalogue, UnitRegistry units)
{
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    private const uint TextStyle = 1;
    private const uint HeaderStyle = 2;

    /// <summary>The built-in number format "@": the cell holds what is typed, as text.</summary>
    private const uint TextFormat = 49;

    /// <summary>The file name a browser saves the template of a scope and day under.</summary>
    public static string FileName(string scopeCode, DateOnly date, string extension = "csv") =>
        $"batch-{scopeCode}-{ReportDate.Iso(date)}.{extension}";

    public byte[] Render(AdminUnit scope, DateOnly date, Language language)
    {
        var (header, rows) = Table(scope, date, language);
        var text = new StringBuilder();
        AppendLine(text, header);
        foreach (var row in rows)
        {
            AppendLine(text, row);
        }

        return [.. Utf8WithBom.GetPreamble(), .. Utf8WithBom.GetBytes(text.ToString())];
    }

    /// <summary>The same template as a workbook of one sheet.</summary>
    public byte[] RenderXlsx(AdminUnit scope, DateOnly date, Language language)
    {
        var (header, rows) = Table(scope, date, language);
        var textColumns = header.Select((_, i) => i < 3 || i >= header.Count - 3).ToArray();
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Stylesheet();
            var sheet = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData(Row(1, header, _ => HeaderStyle));
            var index = 2u;
            foreach (var row in rows)
            {
                data.Append(Row(index++, row, i => textColumns[i] ? TextStyle : 0));
            }

            sheet.Worksheet = new Worksheet(
                new SheetViews(new SheetView(
                    new Pane { HorizontalSplit = 3, VerticalSplit = 1, TopLeftCell = "D2", ActivePane = PaneValues.BottomRight, State = PaneStateValues.Frozen })
                { WorkbookViewId = 0 }),
                new Columns(header.Select((name, i) => Column(i, i == header.Count - 3 ? 30 : Math.Clamp(Width(name), 10, 24), textColumns[i]))),
                data);
            workbook.Workbook.Sheets!.Append(new Sheet
            {
                Id = workbook.GetIdOfPart(sheet),
                SheetId = 1,
                Name = language == Language.English ? "Batch" : "批量报送",
            });
            workbook.Workbook.Save();
        }

        return buffer.ToArray();
    }

    /// <summary>The header and the rows of the scope's townships (code, name and date filled in, the rest empty).</summary>
    private (List<string> Header, List<string[]> Rows) Table(AdminUnit scope, DateOnly date, Language language)
    {
        string Label(string key)
        {
            var names = BatchColumns.Fixed.Single(f => f.Key == key);
            return language == Language.English ? names.En : names.Zh;
        }

        var header = new[] { Label(BatchColumns.UnitCode), Label(BatchColumns.UnitName), Label(BatchColumns.ReportDate) }
            .Concat(catalogue.Indicators.Select(i => language == Language.English ? i.LabelEn : i.LabelZh))
            .Append(Label(BatchColumns.Notes)).Append(Label(BatchColumns.ReporterName)).Append(Label(BatchColumns.ReporterPhone))
            .ToList();
        var day = ReportDate.Iso(date);
        var rows = new List<string[]>();
        foreach (var township in units.TownshipsWithin(scope.Code))
        {
            var row = new string[header.Count];
            Array.Fill(row, "");
            row[0] = township.Code;
            row[1] = township.Name(language);
            row[2] = day;
            rows.Add(row);
        }

        return (header, rows);
    }

    private static Column Column(int index, double width, bool text)
    {
        var column = new Column { Min = (uint)index + 1, Max = (uint)index + 1, Width = width, CustomWidth = true };
        if (text)
        {
            // A column's style is what Excel gives a cell typed into later: text where a code or a phone goes.
            column.Style = TextStyle;
        }

        return column;
    }

    private static Row Row(uint index, IReadOnlyList<string> cells, Func<int, uint> style)
    {
        var row = new Row { RowIndex = index };
        for (var i = 0; i < cells.Count; i++)
        {
            // An empty cell is left out, as Excel leaves it: the column's style still applies to it.
            if (cells[i].Length > 0)
            {
                row.Append(new Cell(new InlineString(new Text(cells[i])))
                {
                    CellReference = Reference(i, index),
                    DataType = CellValues.InlineString,
                    StyleIndex = style(i),
                });
            }
        }

        return row;
    }

    private static string Reference(int column, uint row)
    {
        var letters = "";
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters + row.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Roughly how many character widths a text takes: a Chinese character two.</summary>
    private static double Width(string text) => text.Sum(c => c > 0x2E80 ? 2.0 : 1.1) + 2;

    /// <summary>Default (general), text ("@"), and the header: bold, wrapped, text.</summary>
    private static Stylesheet Stylesheet() => new(
        new Fonts(new Font(), new Font(new Bold())),
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
        new Borders(new Border()),
        new CellFormats(
            new CellFormat(),
            new CellFormat { NumberFormatId = TextFormat, ApplyNumberFormat = true },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Center })
            {
                NumberFormatId = TextFormat, ApplyNumberFormat = true, FontId = 1, ApplyFont = true, ApplyAlignment = true,
            }));

    private static void AppendLine(StringBuilder text, IEnumerable<string> cells)
    {
        text.AppendJoin(',', cells.Select(Quote)).Append("\r\n");
    }

    /// <summary>A cell quoted only when it must be, so the unit code stays a bare number-like cell.</summary>
    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
