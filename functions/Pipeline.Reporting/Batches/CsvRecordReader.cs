using System.Text;

namespace Pipeline.Reporting.Batches;

/// <summary>
/// Reads CSV as Excel and WPS write it (RFC 4180: comma-separated, cells optionally in double quotes, <c>""</c> for
/// a quote, line breaks inside quoted cells; CRLF, LF or CR between records), one record at a time from a reader,
/// so a large upload is never held as one decoded string. What cannot be read is refused with its line, never
/// guessed: a quote that is never closed (which would fold every later row into one cell), or text after a
/// closing quote. A quote inside an unquoted cell (<c>5'8"</c>) is kept as written.
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private int line = 1;

    /// <summary>The next record, or null at the end of the file.</summary>
    /// <param name="keepCells">False to only check and count records: no cell text is kept.</param>
    /// <param name="fills">Which cells (by 0-based index) fill a record in when not blank; all when null.</param>
    /// <exception cref="CsvFormatException">The record cannot be read.</exception>
    public CsvRecord? Read(bool keepCells = true, Func<int, bool>? fills = null)
    {
        var c = reader.Read();
        if (c < 0)
        {
            return null;
        }

        var startLine = line;
        var cells = new List<string>();
        var cell = new Cell(keepCells);
        var blank = true;
        var filled = false;
        var index = 0;
        while (true)
        {
            if (c == '"')
            {
                ReadQuoted(cell);
                c = reader.Read();
                if (c is not (',' or '\r' or '\n' or -1))
                {
                    throw new CsvFormatException(line, "csvTextAfterQuote");
                }
            }
            else
            {
                while (c is not (',' or '\r' or '\n' or -1))
                {
                    cell.Append((char)c);
                    c = reader.Read();
                }
            }

            blank &= cell.IsBlank;
            filled |= CsvRecord.Fills(cell.IsBlank, index, fills);
            index++;
            if (keepCells)
            {
                cells.Add(cell.ToString());
            }

            cell.Clear();
            if (c == ',')
            {
                c = reader.Read();
                continue;
            }

            EndLine(c);
            return new CsvRecord(startLine, [.. cells], blank, filled);
        }
    }

    /// <summary>A quoted cell after its opening quote, up to and including its closing quote.</summary>
    private void ReadQuoted(Cell cell)
    {
        var opened = line;
        while (true)
        {
            var c = reader.Read();
            switch (c)
            {
                case -1:
                    throw new CsvFormatException(opened, "csvUnclosedQuote");
                case '"' when reader.Peek() == '"':
                    reader.Read();
                    cell.Append('"');
                    break;
                case '"':
                    return;
                case '\r' or '\n':
                    cell.Append((char)c);
                    if (c == '\r' && reader.Peek() == '\n')
                    {
                        cell.Append((char)reader.Read());
                    }

                    line++;
                    break;
                default:
                    cell.Append((char)c);
                    break;
            }
        }
    }

    private void EndLine(int c)
    {
        if (c == '\r' && reader.Peek() == '\n')
        {
            reader.Read();
        }

        if (c is '\r' or '\n')
        {
            line++;
        }
    }

    /// <summary>A cell's text as it is read, or, when only counting, just whether it has any.</summary>
    private sealed class Cell(bool keep)
    {
        private readonly StringBuilder text = new();

        public bool IsBlank { get; private set; } = true;

        public void Append(char c)
        {
            IsBlank &= char.IsWhiteSpace(c);
            if (keep)
            {
                text.Append(c);
            }
        }

        public void Clear()
        {
            text.Clear();
            IsBlank = true;
        }

        public override string ToString() => text.ToString();
    }
}
