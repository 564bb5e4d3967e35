using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Batches;

/// <summary>A workbook that cannot be read as one: what is wrong (a message code) and the message's arguments.</summary>
public sealed class XlsxFormatException(string code, params object[] args) : Exception($"XLSX: {code}")
{
    public string Code { get; } = code;

    public IReadOnlyList<object> Args { get; } = args;
}

/// <summary>
/// Reads the first worksheet of an .xlsx workbook as Excel, WPS and LibreOffice save it, row by row, each row as the
/// text of its cells the way a CSV export would have written them: a shared or inline string as it is, a number in
/// plain digits (<c>12</c>, <c>1234.5</c>, never <c>1.2345E3</c>), a cell formatted as a date as
/// <c>yyyy-MM-dd</c> (Excel turns a typed <c>2026/11/27</c> into a date serial), a formula as its saved result, a
/// missing cell as empty. A row's <see cref="CsvRecord.Line"/> is its sheet row number, the one Excel shows.
/// The package comes from DocumentFormat.OpenXml; the worksheet and shared strings are read as a stream with a
/// ceiling on their size, so a small upload that unpacks into gigabytes (a zip bomb) is refused, not read.
/// </summary>
public sealed class XlsxSheetReader : IDisposable
{
    /// <summary>
    /// The most bytes a worksheet or the shared strings may unpack to: 10,000 rows of a 40-column template are about
    /// 20 MB of XML, so this is far above any real upload and far below what would strain memory.
    /// </summary>
    public const long DefaultMaxPartBytes = 64L * 1024 * 1024;

    public const string MediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>The highest column a sheet may have (XFD).</summary>
    private const int MaxColumns = 16_384;

    private readonly SpreadsheetDocument document;
    private readonly WorksheetPart sheet;
    private readonly long maxPartBytes;
    private readonly bool date1904;
    private readonly HashSet<uint> dateStyles;
    private readonly List<string> sharedStrings;

    private XlsxSheetReader(SpreadsheetDocument document, WorksheetPart sheet, long maxPartBytes)
    {
        this.document = document;
        this.sheet = sheet;
        this.maxPartBytes = maxPartBytes;
        var workbook = document.WorkbookPart!;
        date1904 = workbook.Workbook.WorkbookProperties?.Date1904?.Value ?? false;
        dateStyles = DateStyles(workbook.WorkbookStylesPart?.Stylesheet);
        sharedStrings = workbook.SharedStringTablePart is { } strings ? ReadSharedStrings(strings) : [];
    }

    /// <summary>Opens the workbook's first worksheet.</summary>
    /// <exception cref="XlsxFormatException">Not a workbook that can be read, no worksheet, or a part over the ceiling.</exception>
    public static XlsxSheetReader Open(ReadOnlyMemory<byte> body, long maxPartBytes = DefaultMaxPartBytes)
    {
        SpreadsheetDocument? document = null;
        try
        {
            // The small parts (workbook, styles) are loaded whole by the SDK: the same ceiling applies to them.
            var stream = MemoryMarshal.TryGetArray(body, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(body.ToArray(), writable: false);
            document = SpreadsheetDocument.Open(stream, isEditable: false,
                new OpenSettings { MaxCharactersInPart = maxPartBytes });
            var workbook = document.WorkbookPart ?? throw new XlsxFormatException("xlsxUnreadable");
            var first = workbook.Workbook.Sheets?.Elements<Sheet>()
                .Select(s => s.Id?.Value is { } id && workbook.TryGetPartById(id, out var part) ? part : null)
                .FirstOrDefault(p => p is not null);
            if (first is not WorksheetPart worksheet)
            {
                throw new XlsxFormatException("xlsxNoSheet");
            }

            var reader = new XlsxSheetReader(document, worksheet, maxPartBytes);
            document = null;
            return reader;
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw new XlsxFormatException("xlsxUnreadable");
        }
        finally
        {
            document?.Dispose();
        }
    }

    /// <summary>The rows of the sheet in order, blank rows included (a row Excel wrote for its formatting only).</summary>
    /// <exception cref="XlsxFormatException">The sheet is malformed or over the ceiling.</exception>
    public IEnumerable<CsvRecord> Rows()
    {
        using var xml = Unreadable(() => OpenPart(sheet));
        var number = 0;
        while (true)
        {
            CsvRecord? row;
            try
            {
                if (!NextElement(xml, "row"))
                {
                    yield break;
                }

                number = ReadIndex(xml.GetAttribute("r"), number + 1);
                row = ReadRow(xml, number);
            }
            catch (Exception e) when (IsUnreadable(e))
            {
                throw new XlsxFormatException("xlsxUnreadable");
            }

            yield return row;
        }
    }

    public void Dispose() => document.Dispose();

    private CsvRecord ReadRow(XmlReader xml, int number)
    {
        var cells = new Dictionary<int, string>();
        var column = -1;
        if (!xml.IsEmptyElement)
        {
            var depth = xml.Depth;
            while (xml.Read() && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
            {
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "c" && xml.NamespaceURI == Main)
                {
                    column = xml.GetAttribute("r") is { } reference ? ColumnOf(reference) : column + 1;
                    if (ReadCell(xml) is { Length: > 0 } text)
                    {
                        cells[column] = text;
                    }
                }
            }
        }

        // Up to the last cell with text: Excel writes formatted empty cells far to the right of a template.
        var values = new string[cells.Count == 0 ? 0 : cells.Keys.Max() + 1];
        Array.Fill(values, "");
        foreach (var (index, text) in cells)
        {
            values[index] = text;
        }

        var blank = values.All(v => v.Trim().Length == 0);
        return new CsvRecord(number, values, blank, !blank);
    }

    /// <summary>One <c>&lt;c&gt;</c> element, as text; the reader is left on its end.</summary>
    private string ReadCell(XmlReader xml)
    {
        var type = xml.GetAttribute("t");
        var style = uint.TryParse(xml.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        if (xml.IsEmptyElement)
        {
            return "";
        }

        var (value, inline) = ReadTexts(xml, "v", "is");
        return type switch
        {
            "s" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < sharedStrings.Count
                ? sharedStrings[i]
                : throw new XlsxFormatException("xlsxUnreadable"),
            "inlineStr" => inline,
            "str" or "e" => value,
            "b" => value.Trim() == "1" ? "TRUE" : "FALSE",
            "d" => DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? ReportDate.Iso(DateOnly.FromDateTime(date)) : value,
            _ => Number(value, dateStyles.Contains(style)),
        };
    }

    /// <summary>
    /// Within the current element: the text of its <paramref name="valueElement"/> child, and the text of the
    /// <c>&lt;t&gt;</c> elements under its <paramref name="stringElement"/> child (a rich string's runs joined, its
    /// phonetic guide <c>&lt;rPh&gt;</c> left out). Leaves the reader on the element's end.
    /// </summary>
    private static (string Value, string String) ReadTexts(XmlReader xml, string valueElement, string? stringElement)
    {
        var value = new StringBuilder();
        var text = new StringBuilder();
        var depth = xml.Depth;
        int? inValue = null, inString = stringElement is null ? depth : null, inText = null, inPhonetic = null;
        while (xml.Read() && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.Element when !xml.IsEmptyElement && xml.NamespaceURI == Main:
                    if (xml.LocalName == valueElement && xml.Depth == depth + 1) { inValue = xml.Depth; }
                    else if (xml.LocalName == stringElement && xml.Depth == depth + 1) { inString = xml.Depth; }
                    else if (xml.LocalName == "rPh" && inString is not null) { inPhonetic = xml.Depth; }
                    else if (xml.LocalName == "t" && inString is not null && inPhonetic is null) { inText = xml.Depth; }
                    break;
                case XmlNodeType.EndElement:
                    if (xml.Depth == inValue) { inValue = null; }
                    else if (xml.Depth == inText) { inText = null; }
                    else if (xml.Depth == inPhonetic) { inPhonetic = null; }
                    else if (xml.Depth == inString && stringElement is not null) { inString = null; }
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (inValue is not null) { value.Append(xml.Value); }
                    else if (inText is not null) { text.Append(xml.Value); }
                    break;
            }
        }

        return (value.ToString(), text.ToString());
    }

    private List<string> ReadSharedStrings(SharedStringTablePart part)
    {
        var strings = new List<string>();
        using var xml = OpenPart(part);
        while (NextElement(xml, "si"))
        {
            strings.Add(xml.IsEmptyElement ? "" : ReadTexts(xml, "", stringElement: null).String);
        }

        return strings;
    }

    /// <summary>
    /// A number cell as a CSV export writes it: the value Excel shows at 15 significant digits (so a formula's
    /// <c>0.30000000000000004</c> is <c>0.3</c>) in plain digits; in a date format, the day it stands for.
    /// </summary>
    private string Number(string value, bool isDate)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            return value.Trim();
        }

        if (isDate && DateOf(number) is { } date)
        {
            return ReportDate.Iso(date);
        }

        return decimal.TryParse(number.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var shown)
            ? shown.ToString(CultureInfo.InvariantCulture)
            : value.Trim();
    }

    /// <summary>The day of a date serial: days since 1899-12-30 (Excel's 1900 system, past its phantom 1900-02-29) or since 1904-01-01.</summary>
    private DateOnly? DateOf(double serial)
    {
        var days = Math.Floor(serial);
        if (days < 1 || days > 2_958_465)
        {
            return null;
        }

        var epoch = date1904 ? new DateOnly(1904, 1, 1) : days < 61 ? new DateOnly(1899, 12, 31) : new DateOnly(1899, 12, 30);
        return epoch.AddDays((int)days);
    }

    /// <summary>The styles whose number format shows a date: the built-in date formats, and custom ones with a day, month or year.</summary>
    private static HashSet<uint> DateStyles(Stylesheet? styles)
    {
        var custom = styles?.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null && IsDateFormat(f.FormatCode?.Value ?? ""))
            .Select(f => f.NumberFormatId!.Value)
            .ToHashSet() ?? [];
        var result = new HashSet<uint>();
        var index = 0u;
        foreach (var format in styles?.CellFormats?.Elements<CellFormat>() ?? [])
        {
            var id = format.NumberFormatId?.Value ?? 0;
            if (id is (>= 14 and <= 17) or 22 or (>= 27 and <= 36) or (>= 50 and <= 58) || custom.Contains(id))
            {
                result.Add(index);
            }

            index++;
        }

        return result;
    }

    /// <summary>A format code that shows a date: a <c>y</c> or <c>d</c> (or an <c>m</c> with no hour or second) outside quotes and brackets.</summary>
    private static bool IsDateFormat(string code)
    {
        var bare = new StringBuilder();
        for (var i = 0; i < code.Length; i++)
        {
            switch (code[i])
            {
                case '"':
                    i = code.IndexOf('"', i + 1) is var close and >= 0 ? close : code.Length;
                    break;
                case '[':
                    i = code.IndexOf(']', i + 1) is var end and >= 0 ? end : code.Length;
                    break;
                case '\\':
                    i++;
                    break;
                default:
                    bare.Append(char.ToLowerInvariant(code[i]));
                    break;
            }
        }

        var text = bare.ToString();
        return text.Contains('y') || text.Contains('d') || (text.Contains('m') && !text.Contains('h') && !text.Contains('s'));
    }

    /// <summary>The 0-based column of a cell reference (<c>AB12</c>: 27).</summary>
    private static int ColumnOf(string reference)
    {
        var column = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z')
            {
                column = (column * 26) + (c - 'A' + 1);
                letters++;
            }
            else
            {
                break;
            }
        }

        return letters is 0 or > 3 || column > MaxColumns ? throw new XlsxFormatException("xlsxUnreadable") : column - 1;
    }

    private static int ReadIndex(string? text, int next) =>
        text is null ? next
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 1 ? index
        : throw new XlsxFormatException("xlsxUnreadable");

    /// <summary>Moves to the next start of a <paramref name="name"/> element; false at the end of the part.</summary>
    private static bool NextElement(XmlReader xml, string name)
    {
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == name && xml.NamespaceURI == Main)
            {
                return true;
            }
        }

        return false;
    }

    private XmlReader OpenPart(OpenXmlPart part) =>
        XmlReader.Create(new CappedStream(part.GetStream(FileMode.Open, FileAccess.Read), maxPartBytes), new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            CloseInput = true,
        });

    private static T Unreadable<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw new XlsxFormatException("xlsxUnreadable");
        }
    }

    private static bool IsUnreadable(Exception e) =>
        e is XmlException or InvalidDataException or OpenXmlPackageException or FileFormatException or InvalidOperationException or IOException;

    /// <summary>A part's stream that refuses to unpack past its ceiling (in MiB in the message).</summary>
    private sealed class CappedStream(Stream inner, long max) : Stream
    {
        private long read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int bytes)
        {
            read += bytes;
            return read > max ? throw new XlsxFormatException("xlsxTooLarge", max / (1024 * 1024)) : bytes;
        }
    }
}
