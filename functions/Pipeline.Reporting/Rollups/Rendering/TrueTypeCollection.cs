using System.Buffers.Binary;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// Takes one font out of a TrueType collection (<c>.ttc</c>, such as Debian's wqy-microhei): the PDF writer subsets a
/// single font file, not a collection. A plain font file comes back as it is.
/// </summary>
public static class TrueTypeCollection
{
    private const uint CollectionTag = 0x74746366; // "ttcf"
    private static readonly uint GlyphTable = FontTableDirectory.Tag("glyf");
    private static readonly uint CompactFontTable = FontTableDirectory.Tag("CFF ");
    private static readonly uint CompactFont2Table = FontTableDirectory.Tag("CFF2");

    public static bool IsCollection(ReadOnlySpan<byte> font) => font.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(font) == CollectionTag;

    /// <summary>The font <paramref name="index"/> of a collection as a standalone font file: its table directory and tables, offsets rebased.</summary>
    public static byte[] Extract(byte[] font, int index = 0)
    {
        if (!IsCollection(font))
        {
            return font;
        }

        var fonts = BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(8));
        if (index < 0 || index >= fonts)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The collection holds {fonts} fonts.");
        }

        var directory = font.AsSpan((int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(12 + 4 * index)));
        var count = FontTableDirectory.Count(directory);
        var tables = new FontTable[count];
        for (var i = 0; i < count; i++)
        {
            tables[i] = FontTableDirectory.Table(directory, i);
        }

        var headerLength = FontTableDirectory.Length(count);
        var result = new byte[headerLength + tables.Sum(t => Padded(t.Length))];
        directory[..FontTableDirectory.HeaderLength].CopyTo(result);
        var position = headerLength;
        for (var i = 0; i < count; i++)
        {
            var table = tables[i];
            FontTableDirectory.Write(result, i, table with { Offset = position });
            font.AsSpan(table.Offset, table.Length).CopyTo(result.AsSpan(position));
            position += Padded(table.Length);
        }

        return result;
    }

    /// <summary>
    /// What outlines the font file (the first font of a collection) has. The PDF writer and <see cref="TrueTypeSubset"/>
    /// embed only TrueType ones (a <c>glyf</c> table); OpenType fonts with PostScript outlines (<c>CFF </c> or
    /// <c>CFF2</c>, as Debian's fonts-noto-cjk) have none. Reads only the table directory.
    /// </summary>
    public static FontOutlines Outlines(Stream font)
    {
        var header = new byte[FontTableDirectory.HeaderLength + 4];
        if (!ReadAt(font, 0, header))
        {
            return FontOutlines.Unreadable;
        }

        // A collection's header is followed by the offset of its first font's directory.
        long start = IsCollection(header) ? BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12)) : 0;
        if (start != 0 && !ReadAt(font, start, header.AsSpan(0, FontTableDirectory.HeaderLength)))
        {
            return FontOutlines.Unreadable;
        }

        var directory = new byte[FontTableDirectory.Length(FontTableDirectory.Count(header))];
        if (!ReadAt(font, start, directory))
        {
            return FontOutlines.Unreadable;
        }

        var tags = new HashSet<uint>();
        for (var i = 0; i < FontTableDirectory.Count(directory); i++)
        {
            tags.Add(FontTableDirectory.Table(directory, i).Tag);
        }

        return tags.Contains(GlyphTable) ? FontOutlines.TrueType
            : tags.Contains(CompactFontTable) || tags.Contains(CompactFont2Table) ? FontOutlines.PostScript
            : FontOutlines.Unreadable;
    }

    private static bool ReadAt(Stream stream, long offset, Span<byte> buffer)
    {
        if (offset + buffer.Length > stream.Length)
        {
            return false;
        }

        stream.Position = offset;
        stream.ReadExactly(buffer);
        return true;
    }

    /// <summary>Tables start on 4-byte boundaries.</summary>
    private static int Padded(int length) => (length + 3) & ~3;
}
