using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// Writes a worksheet's <c>sheetData</c> (opened when made, closed when disposed), its rows and cells as UTF-8 straight into its part, the bytes the SDK's <c>OpenXmlWriter</c> (an
/// <see cref="System.Xml.XmlWriter"/>) writes for the same cells: <c>x:</c> elements, double-quoted attributes, empty cells
/// as <c>&lt;x:c s="0" /&gt;</c>, text escaped as the XML writer escapes element text. A large area's unit sheets are
/// millions of cells: the XML writer's per-call checks, namespace lookups and UTF-16 to UTF-8 encoding were most of a
/// workbook's time. Unlike the XML writer it never throws on a character XML cannot hold (a control character in a
/// note): that character is left out.
/// </summary>
internal sealed class XlsxSheetDataWriter : IDisposable
{
    private const int BufferBytes = 64 * 1024;

    /// <summary>The most one step writes (a cell's start tag, a number, one character's escape) before the next room check.</summary>
    private const int StepBytes = 256;

    private static readonly byte[] RowStart = "<x:row r=\""u8.ToArray();
    private static readonly byte[] HeightStart = "\" ht=\""u8.ToArray();
    private static readonly byte[] HeightEnd = "\" customHeight=\"1\">"u8.ToArray();
    private static readonly byte[] RowEnd = "</x:row>"u8.ToArray();
    private static readonly byte[] CellStart = "<x:c s=\""u8.ToArray();
    private static readonly byte[] NumberOpen = "\" t=\"n\"><x:v>"u8.ToArray();
    private static readonly byte[] NumberClose = "</x:v></x:c>"u8.ToArray();
    private static readonly byte[] TextOpen = "\" t=\"inlineStr\"><x:is><x:t>"u8.ToArray();
    private static readonly byte[] TextClose = "</x:t></x:is></x:c>"u8.ToArray();
    private static readonly byte[] EmptyClose = "\" />"u8.ToArray();

    /// <summary>The longest text encoded in one go (three bytes a character at most, within an empty buffer).</summary>
    private const int MaxEncodedAtOnce = BufferBytes / 3;

    /// <summary>What text cannot be copied as it is: markup, CR, characters XML cannot hold, surrogates (pairs are encoded, lone ones replaced).</summary>
    private static readonly SearchValues<char> Escapes = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not ('\n' or '\t')).Select(c => (char)c), '&', '<', '>',
            .. Enumerable.Range(0xD800, 0xE000 - 0xD800).Select(c => (char)c), '\uFFFE', '\uFFFF']);

    private readonly Stream part;
    private readonly byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
    private int position;

    /// <param name="part">The worksheet's part, with everything before its <c>sheetData</c> written out (an XML writer flushed).</param>
    public XlsxSheetDataWriter(Stream part)
    {
        this.part = part;
        Append("<x:sheetData>"u8);
    }

    /// <summary>
    /// Opens row <paramref name="index"/> (1-based), <paramref name="height"/> points high, or as high as its font when 0: a row
    /// whose text wraps needs its height given (readers do not grow a streamed row by themselves).
    /// </summary>
    public void StartRow(int index, int height = 0)
    {
        Room();
        Append(RowStart);
        Append(index);
        if (height > 0)
        {
            Append(HeightStart);
            Append(height);
            Append(HeightEnd);
        }
        else
        {
            Append("\">"u8);
        }
    }

    public void EndRow()
    {
        Room();
        Append(RowEnd);
    }

    public void Number(uint style, decimal value)
    {
        Room();
        Append(CellStart);
        Append(style);
        Append(NumberOpen);
        // Most figures are whole and small: their digits written as an integer's, what the decimal's own format writes.
        var room = buffer.AsSpan(position);
        int written;
        var formatted = WholeNumber.TryGet(value, out var magnitude, out var negative)
            ? Utf8Formatter.TryFormat(negative && magnitude != 0 ? -(long)magnitude : magnitude, room, out written)
            : value.TryFormat(room, out written, default, CultureInfo.InvariantCulture);
        if (!formatted)
        {
            throw new InvalidOperationException("A number longer than a cell's room.");
        }

        position += written;
        Append(NumberClose);
    }

    public void Text(uint style, string text)
    {
        Room();
        Append(CellStart);
        Append(style);
        Append(TextOpen);
        Escaped(text);
        Room();
        Append(TextClose);
    }

    /// <summary>A cell that only holds its place (and its style).</summary>
    public void Empty(uint style)
    {
        Room();
        Append(CellStart);
        Append(style);
        Append(EmptyClose);
    }

    /// <summary>Closes the <c>sheetData</c> and writes out what is buffered, so that the XML writer can go on after it.</summary>
    public void Dispose()
    {
        Room();
        Append("</x:sheetData>"u8);
        Flush();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Flush()
    {
        part.Write(buffer, 0, position);
        position = 0;
    }

    /// <summary>
    /// Element text as the XML writer writes it (new lines as its settings' default, <c>\n</c>; &amp; &lt; &gt; as entities),
    /// encoded to UTF-8 on the way; a character XML cannot hold is left out, a lone surrogate becomes U+FFFD.
    /// </summary>
    private void Escaped(string text)
    {
        // Most text (names, codes, yes and no) has nothing to escape: encoded in one go.
        if (text.AsSpan().IndexOfAny(Escapes) < 0 && text.Length <= MaxEncodedAtOnce)
        {
            if (position + text.Length * 3 > buffer.Length)
            {
                Flush();
            }

            position += Encoding.UTF8.GetBytes(text, buffer.AsSpan(position));
            return;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (position + 8 > buffer.Length)
            {
                Flush();
            }

            var c = text[i];
            if (c < 0x80)
            {
                switch (c)
                {
                    case '&':
                        Append("&amp;"u8);
                        break;
                    case '<':
                        Append("&lt;"u8);
                        break;
                    case '>':
                        Append("&gt;"u8);
                        break;
                    case '\r':
                        buffer[position++] = (byte)'\n';
                        if (i + 1 < text.Length && text[i + 1] == '\n')
                        {
                            i++;
                        }

                        break;
                    case '\n' or '\t' or >= ' ':
                        buffer[position++] = (byte)c;
                        break;
                }
            }
            else if (c < 0x800)
            {
                buffer[position++] = (byte)(0xC0 | (c >> 6));
                buffer[position++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var scalar = char.ConvertToUtf32(c, text[++i]);
                buffer[position++] = (byte)(0xF0 | (scalar >> 18));
                buffer[position++] = (byte)(0x80 | ((scalar >> 12) & 0x3F));
                buffer[position++] = (byte)(0x80 | ((scalar >> 6) & 0x3F));
                buffer[position++] = (byte)(0x80 | (scalar & 0x3F));
            }
            else if (c is not ('\uFFFE' or '\uFFFF'))
            {
                var scalar = char.IsSurrogate(c) ? '\uFFFD' : c;
                buffer[position++] = (byte)(0xE0 | (scalar >> 12));
                buffer[position++] = (byte)(0x80 | ((scalar >> 6) & 0x3F));
                buffer[position++] = (byte)(0x80 | (scalar & 0x3F));
            }
        }
    }

    private void Room()
    {
        if (position + StepBytes > buffer.Length)
        {
            Flush();
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.AsSpan(position));
        position += bytes.Length;
    }

    private void Append(int value)
    {
        Utf8Formatter.TryFormat(value, buffer.AsSpan(position), out var written);
        position += written;
    }

    private void Append(uint value)
    {
        Utf8Formatter.TryFormat(value, buffer.AsSpan(position), out var written);
        position += written;
    }
}
