using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Runtime.InteropServices;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Batches;

/// <summary>
/// Reads a batch body (a JSON array of reports, or CSV with the header
/// <c>unitCode,reportDate,&lt;indicator keys or labels&gt;,notes</c>) into <see cref="ReportInput"/>s, so that each row
/// takes the single-report path. The request only checks the envelope and counts rows; the queue function
/// reads the rows. A row's number is the 1-based index in a JSON array, the file line in a CSV (the header
/// is line 1; blank lines and line breaks in quoted cells count) and the sheet row in an XLSX workbook, so it is
/// the line a spreadsheet user finds. CSV is read record by record from the bytes: no decoded copy of the whole
/// upload is made; an XLSX workbook's first worksheet is read the same way (<see cref="XlsxSheetReader"/>), with
/// the same header and cell rules.
/// </summary>
public sealed partial class BatchPayloadReader(IndicatorCatalogue catalogue)
{
    public const string UnitCodeColumn = BatchColumns.UnitCode;
    public const string ReportDateColumn = BatchColumns.ReportDate;
    public const string NotesColumn = BatchColumns.Notes;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly BatchColumns columns = new(catalogue);

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

        if (format == BatchFormat.Xlsx)
        {
            return CheckXlsx(body);
        }

        if (IsUtf16(body.Span))
        {
            return new BatchEnvelope(0, [EncodingError]);
        }

        try
        {
            using var text = Decode(body);
            var csv = new CsvRecordReader(text);
            if (csv.Read() is not { } header)
            {
                return new BatchEnvelope(0, [new FieldError("header", "csvEmpty", [])]);
            }

            var (keys, headerErrors) = ReadHeader(header.Cells, "csvMissingColumn");
            if (headerErrors.Count > 0)
            {
                return new BatchEnvelope(0, headerErrors);
            }

            var rows = 0;
            var fills = FillingCells(keys);
            while (csv.Read(keepCells: false, fills) is { } record)
            {
                if (record.IsFilled)
                {
                    rows++;
                }
            }

            return new BatchEnvelope(rows, []);
        }
        catch (DecoderFallbackException)
        {
            return new BatchEnvelope(0, [EncodingError]);
        }
        catch (CsvFormatException e)
        {
            return new BatchEnvelope(0, [new FieldError("file", e.Code, [e.Line])]);
        }
    }

    /// <summary>The rows of a body that <see cref="Check"/> found readable.</summary>
    public IEnumerable<BatchRow> ReadRows(BatchFormat format, ReadOnlyMemory<byte> body)
    {
        return format switch
        {
            BatchFormat.Json => ReadJson(body),
            BatchFormat.Xlsx => ReadXlsx(body),
            _ => ReadCsv(body),
        };
    }

    private BatchEnvelope CheckXlsx(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var sheet = XlsxSheetReader.Open(body);
            var headerErrors = new List<FieldError>();
            var count = FilledXlsxRows(sheet, headerErrors).Count();
            return headerErrors.Count > 0 ? new BatchEnvelope(0, headerErrors) : new BatchEnvelope(count, []);
        }
        catch (XlsxFormatException e)
        {
            return new BatchEnvelope(0, [new FieldError("file", e.Code, [.. e.Args])]);
        }
    }

    /// <summary>The rows of a workbook <see cref="Check"/> found readable.</summary>
    private IEnumerable<BatchRow> ReadXlsx(ReadOnlyMemory<byte> body)
    {
        using var sheet = XlsxSheetReader.Open(body);
        var headerErrors = new List<FieldError>();
        foreach (var (header, row) in FilledXlsxRows(sheet, headerErrors))
        {
            yield return new BatchRow(row.Line, ReadCsvRow(header, row.Cells));
        }

        if (headerErrors.Count > 0)
        {
            throw new InvalidDataException("The XLSX payload has no valid header.");
        }
    }

    /// <summary>
    /// A workbook's filled rows (<see cref="FillingCells"/>) with the header they are read by: its first row with any
    /// text. A header that cannot be read adds its errors to <paramref name="headerErrors"/>, and there are no rows.
    /// </summary>
    private IEnumerable<(string?[] Header, CsvRecord Row)> FilledXlsxRows(XlsxSheetReader sheet, List<FieldError> headerErrors)
    {
        using var rows = sheet.Rows().Where(r => !r.IsBlank).GetEnumerator();
        var (header, errors) = rows.MoveNext() ? ReadHeader(rows.Current.Cells, "xlsxMissingColumn") : ([], [new FieldError("header", "xlsxEmpty", [])]);
        headerErrors.AddRange(errors);
        if (errors.Count > 0)
        {
            yield break;
        }

        var fills = FillingCells(header);
        while (rows.MoveNext())
        {
            if (rows.Current.IsFilledBy(fills))
            {
                yield return (header, rows.Current);
            }
        }
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
        if (IsUtf16(body.Span))
        {
            throw new InvalidDataException("The CSV payload is not UTF-8.");
        }

        using var text = Decode(body);
        var csv = new CsvRecordReader(text);
        var (header, errors) = csv.Read() is { } first ? ReadHeader(first.Cells, "csvMissingColumn") : ([], [new FieldError("header", "csvEmpty", [])]);
        if (errors.Count > 0)
        {
            throw new InvalidDataException("The CSV payload has no valid header.");
        }

        var fills = FillingCells(header);
        while (csv.Read(fills: fills) is { } record)
        {
            if (record.IsFilled)
            {
                yield return new BatchRow(record.Line, ReadCsvRow(header, record.Cells));
            }
        }
    }

    /// <summary>
    /// The cells that fill a row in: a template row the county left as it came (unit code, name and date, nothing
    /// else) is not filled in, so it is no row at all rather than a report of nothing or a rejection. Any value,
    /// note, reporter or cell past the header counts.
    /// </summary>
    private static Func<int, bool> FillingCells(string?[] header) =>
        i => i >= header.Length || header[i] is not (BatchColumns.UnitCode or BatchColumns.UnitName or BatchColumns.ReportDate);

    private ParsedReport ReadCsvRow(string?[] header, string[] cells)
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
                case BatchColumns.UnitCode: unitCode = Cell(i); break;
                case BatchColumns.UnitName: break; // the template's reading aid: the code is what counts
                case BatchColumns.ReportDate: reportDate = NormalizeDate(Cell(i)); break;
                case BatchColumns.Notes: notes = Cell(i); break;
                case BatchColumns.SubmissionId: submissionId = Cell(i); break;
                case BatchColumns.ReporterName: name = Cell(i); break;
                case BatchColumns.ReporterPhone: phone = Cell(i); break;
                case { } key: values[key] = ReadNumber(Cell(i)); break;
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
            && ReportDate.TryParse($"{match.Groups[1].Value}-{match.Groups[2].Value.PadLeft(2, '0')}-{match.Groups[3].Value.PadLeft(2, '0')}", out var date)
            ? ReportDate.Iso(date)
            : cell;
    }

    /// <summary>The header's columns, each resolved to its key (keys, Chinese or English labels), and what is wrong with it.</summary>
    /// <param name="missingCode">The message for a missing column: a CSV's says how columns are separated.</param>
    private (string?[] Keys, List<FieldError> Errors) ReadHeader(string[] header, string missingCode)
    {
        var errors = new List<FieldError>();
        var keys = new string?[header.Length];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            keys[i] = columns.Resolve(header[i]);
            if (keys[i] is null)
            {
                errors.Add(new FieldError("header", "csvUnknownColumn", [ReportValidator.Printable(header[i].Trim())]));
            }
            else if (!seen.Add(keys[i]!))
            {
                errors.Add(new FieldError("header", "csvDuplicateColumn", [ReportValidator.Printable(header[i].Trim())]));
            }
        }

        foreach (var required in new[] { BatchColumns.UnitCode, BatchColumns.ReportDate })
        {
            if (!seen.Contains(required))
            {
                errors.Add(new FieldError("header", missingCode, [required]));
            }
        }

        return (keys, errors);
    }

    private static readonly FieldError EncodingError = new("file", "csvEncoding", []);

    /// <summary>A UTF-16 byte order mark: "Unicode text" from Excel, refused rather than read as garbage.</summary>
    private static bool IsUtf16(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);

    /// <summary>
    /// Strict UTF-8 with or without a BOM, decoded as it is read: a GBK file fails with a
    /// <see cref="DecoderFallbackException"/> at its first invalid byte.
    /// </summary>
    private static StreamReader Decode(ReadOnlyMemory<byte> body)
    {
        if (body.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            body = body[3..];
        }

        var stream = MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        return new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024);
    }

    [GeneratedRegex(@"^-?\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex GroupedNumber();

    [GeneratedRegex(@"^-?\d+(\.\d+)?$")]
    private static partial Regex PlainNumber();

    [GeneratedRegex(@"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")]
    private static partial Regex SpreadsheetDate();
}
