using System.Text;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Batches;

/// <summary>
/// The CSV a county fills in for a batch: the header in the caller's language (the catalogue's Chinese labels
/// by default, as counties' Excel templates carry them; <see cref="BatchColumns"/> reads them back), then one row
/// per township of the scope with its code, name and the report date filled in. Written as Excel's "CSV UTF-8"
/// writes it (BOM, CRLF), so Excel and WPS open it with the Chinese intact and save it back the same way.
/// </summary>
public sealed class BatchTemplate(IndicatorCatalogue catalogue, UnitRegistry units)
{
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    /// <summary>The file name a browser saves the template of a scope and day under.</summary>
    public static string FileName(string scopeCode, DateOnly date) =>
        $"batch-{scopeCode}-{ReportDate.Iso(date)}.csv";

    public byte[] Render(AdminUnit scope, DateOnly date, Language language)
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
        var text = new StringBuilder();
        AppendLine(text, header);
        var day = ReportDate.Iso(date);
        foreach (var township in units.TownshipsWithin(scope.Code))
        {
            var row = new string[header.Count];
            Array.Fill(row, "");
            row[0] = township.Code;
            row[1] = township.Name(language);
            row[2] = day;
            AppendLine(text, row);
        }

        return [.. Utf8WithBom.GetPreamble(), .. Utf8WithBom.GetBytes(text.ToString())];
    }

    private static void AppendLine(StringBuilder text, IEnumerable<string> cells)
    {
        text.AppendJoin(',', cells.Select(Quote)).Append("\r\n");
    }

    /// <summary>A cell quoted only when it must be, so the unit code stays a bare number-like cell.</summary>
    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
