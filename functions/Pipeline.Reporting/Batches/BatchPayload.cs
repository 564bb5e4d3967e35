using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Batches;

public enum BatchFormat
{
    Json,
    Csv,
}

/// <summary>One report of a batch: its 1-based position among the batch's reports, and what was read.</summary>
public sealed record BatchRow(int Row, ParsedReport Parsed);

/// <summary>What a batch body looks like before any row is validated: how many rows, or why it cannot be read at all.</summary>
public sealed record BatchEnvelope(int Rows, IReadOnlyList<FieldError> Errors)
{
    public bool IsReadable => Errors.Count == 0;
}

/// <summary>
/// Reads a batch body (a JSON array of reports, or CSV with the header
/// <c>unitCode,reportDate,&lt;indicator keys&gt;,notes</c>) into <see cref="ReportInput"/>s, so that each row
/// takes the single-report path. The request only checks the envelope and counts rows; the queue function
/// reads the rows.
/// </summary>
public sealed partial class BatchPayloadReader(IndicatorCatalogue catalogue)
{
    public const string UnitCodeColumn = "unitCode";
    public const string ReportDateColumn = "reportDate";
    public const string NotesColumn = "notes";

    /// <summary>Optional columns beyond the spec's header, for spreadsheets that carry them.</summary>
    public static readonly string[] OptionalColumns = ["submissionId", "reporterName", "reporterPhone"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public BatchEnvelope Check(BatchFormat format, ReadOnlyMemory<byte> body)
    {
        if (format == BatchFormat.Json)
        {
            try
            {
                using var document = ReportJsonParser.ParseDocument(body);
                return document.RootElement.ValueKind == JsonValueKind.Array
                    ? new BatchEnvelope(document.RootElement.GetArrayLength(), [])
                    : new BatchEnvelope(0, [new FieldError("$", "batchNotArray", [])]);
            }
            catch (JsonException)
            {
                return new BatchEnvelope(0, [new FieldError("$", "batchMalformedJson", [])]);
            }
        }

        if (!TryDecode(body, out var text, out var error))
        {
            return new BatchEnvelope(0, [error!]);
        }

        using var parser = CreateParser(text);
        if (!parser.Read())
        {
            return new BatchEnvelope(0, [new FieldError("header", "csvEmpty", [])]);
        }

        var headerErrors = CheckHeader(parser.Record!);
        if (headerErrors.Count > 0)
        {
            return new BatchEnvelope(0, headerErrors);
        }

        var rows = 0;
        while (parser.Read())
        {
            if (!IsBlank(parser.Record!))
            {
                rows++;
            }
        }

        return new BatchEnvelope(rows, []);
    }

    /// <summary>The rows of a body that <see cref="Check"/> found readable.</summary>
    public IEnumerable<BatchRow> ReadRows(BatchFormat format, ReadOnlyMemory<byte> body)
    {
        return format == BatchFormat.Json ? ReadJson(body) : ReadCsv(body);
    }

    private static IEnumerable<BatchRow> ReadJson(ReadOnlyMemory<byte> body)
    {
        using var document = ReportJsonParser.ParseDocument(body);
        var row = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            yield return new BatchRow(++row, ReportJsonParser.Parse(element, fieldPrefix: ""));
        }
    }

    private IEnumerable<BatchRow> ReadCsv(ReadOnlyMemory<byte> body)
    {
        if (!TryDecode(body, out var text, out var error))
        {
            throw new InvalidDataException($"The CSV payload is not readable: {error!.Code}.");
        }

        using var parser = CreateParser(text);
        if (!parser.Read() || CheckHeader(parser.Record!).Count > 0)
        {
            throw new InvalidDataException("The CSV payload has no valid header.");
        }

        var header = parser.Record!.Select(h => h.Trim()).ToArray();
        var row = 0;
        while (parser.Read())
        {
            var cells = parser.Record!;
            row++;
            if (!IsBlank(cells))
            {
                yield return new BatchRow(row, ReadCsvRow(header, cells));
            }
        }
    }

    private ParsedReport ReadCsvRow(string[] header, string[] cells)
    {
        string? Cell(int i) => i < cells.Length && cells[i].Trim() is { Length: > 0 } value ? value : null;
        var errors = new List<FieldError>();
        if (cells.Skip(header.Length).Any(c => c.Trim().Length > 0))
        {
            errors.Add(new FieldError("row", "csvExtraCells", [header.Length]));
        }

        string? unitCode = null, reportDate = null, notes = null, submissionId = null, name = null, phone = null;
        var values = new Dictionary<string, InputValue>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            switch (header[i])
            {
                case UnitCodeColumn: unitCode = Cell(i); break;
                case ReportDateColumn: reportDate = NormalizeDate(Cell(i)); break;
                case NotesColumn: notes = Cell(i); break;
                case "submissionId": submissionId = Cell(i); break;
                case "reporterName": name = Cell(i); break;
                case "reporterPhone": phone = Cell(i); break;
                default: values[header[i]] = ReadNumber(Cell(i)); break;
            }
        }

        return new ParsedReport(new ReportInput(unitCode, reportDate, submissionId, values, notes, name, phone), errors);
    }

    /// <summary>
    /// A number as a spreadsheet exports it: plain (<c>1234</c>, <c>12.5</c>, <c>-3</c>) or with thousands
    /// separators in their proper places (<c>"1,234"</c>, <c>"1,234.50"</c>). Anything else stays text and
    /// is named by the validator as not a number.
    /// </summary>
    public static InputValue ReadNumber(string? cell)
    {
        if (cell is null)
        {
            return new InputValue(null, "");
        }

        var plain = GroupedNumber().IsMatch(cell) ? cell.Replace(",", "", StringComparison.Ordinal) : cell;
        return PlainNumber().IsMatch(plain) && decimal.TryParse(plain, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? new InputValue(number, cell)
            : new InputValue(null, cell);
    }

    /// <summary>
    /// Excel in a Chinese locale turns <c>2026-11-27</c> into a date cell and exports it as <c>2026/11/27</c>;
    /// both (and unpadded <c>2026/1/5</c>) mean the ISO date. Anything else goes to the validator as it is.
    /// </summary>
    public static string? NormalizeDate(string? cell)
    {
        if (cell is null)
        {
            return null;
        }

        var match = SpreadsheetDate().Match(cell);
        return match.Success
            && DateOnly.TryParseExact(
                $"{match.Groups[1].Value}-{match.Groups[2].Value.PadLeft(2, '0')}-{match.Groups[3].Value.PadLeft(2, '0')}",
                "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : cell;
    }

    private List<FieldError> CheckHeader(string[] header)
    {
        var errors = new List<FieldError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in header.Select(h => h.Trim()))
        {
            if (!seen.Add(name))
            {
                errors.Add(new FieldError("header", "csvDuplicateColumn", [ReportValidator.Printable(name)]));
            }
            else if (name is not (UnitCodeColumn or ReportDateColumn or NotesColumn)
                && !OptionalColumns.Contains(name) && !catalogue.TryGet(name, out _))
            {
                errors.Add(new FieldError("header", "csvUnknownColumn", [ReportValidator.Printable(name)]));
            }
        }

        foreach (var required in new[] { UnitCodeColumn, ReportDateColumn })
        {
            if (!seen.Contains(required))
            {
                errors.Add(new FieldError("header", "csvMissingColumn", [required]));
            }
        }

        return errors;
    }

    /// <summary>Strict UTF-8 with or without a BOM; a GBK or UTF-16 file is refused rather than read as garbage.</summary>
    private static bool TryDecode(ReadOnlyMemory<byte> body, out string text, out FieldError? error)
    {
        var bytes = body.Span;
        text = "";
        error = null;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            error = new FieldError("file", "csvEncoding", []);
            return false;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            error = new FieldError("file", "csvEncoding", []);
            return false;
        }
    }

    private static CsvParser CreateParser(string text) =>
        new(new StringReader(text), new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = ",",
            // Excel writes CRLF, other tools LF; both end a record. Quoted cells may hold commas and line breaks.
            DetectDelimiter = false,
            BadDataFound = null,
            IgnoreBlankLines = true,
        });

    private static bool IsBlank(string[] cells) => cells.All(c => c.Trim().Length == 0);

    [GeneratedRegex(@"^-?\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex GroupedNumber();

    [GeneratedRegex(@"^-?\d+(\.\d+)?$")]
    private static partial Regex PlainNumber();

    [GeneratedRegex(@"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")]
    private static partial Regex SpreadsheetDate();
}
