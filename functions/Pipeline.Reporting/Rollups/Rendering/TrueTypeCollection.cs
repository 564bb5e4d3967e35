using System.Buffers.Binary;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// Takes one font out of a TrueType collection (<c>.ttc</c>, such as Debian's wqy-microhei): the PDF writer subsets a
/// single font file, not a collection. A plain font file comes back as it is.
/// </summary>
public static class TrueTypeCollection
{
    private const uint CollectionTag = 0x74746366; // "ttcf"

    public static bool IsCollection(ReadOnlySpan<byte> font) => font.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(font) == CollectionTag;

    /// <summary>The font <paramref name="index"/> of a collection as a standalone font file: its table directory and tables, offsets rebased.</summary>
    public static byte[] Extract(byte[] font, int index = 0)
    {
        if (!IsCollection(font))
        {
            return font;
        }

        var count = BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(8));
        if (index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The collection holds {count} fonts.");
        }

        var directory = (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(12 + 4 * index));
        int tables = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(directory + 4));
        var records = Enumerable.Range(0, tables).Select(i =>
        {
            var record = font.AsSpan(directory + 12 + 16 * i, 16);
            return (Tag: BinaryPrimitives.ReadUInt32BigEndian(record), Checksum: BinaryPrimitives.ReadUInt32BigEndian(record[4..]),
                Offset: (int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]), Length: (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
        }).ToList();

        var headerLength = 12 + 16 * tables;
        var result = new byte[headerLength + records.Sum(r => Padded(r.Length))];
        font.AsSpan(directory, 12).CopyTo(result);
        var position = headerLength;
        for (var i = 0; i < tables; i++)
        {
            var (tag, checksum, offset, length) = records[i];
            var record = result.AsSpan(12 + 16 * i, 16);
            BinaryPrimitives.WriteUInt32BigEndian(record, tag);
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], checksum);
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)position);
            BinaryPrimitives.WriteUInt32BigEndian(record[12..], (uint)length);
            font.AsSpan(offset, length).CopyTo(result.AsSpan(position));
            position += Padded(length);
        }

        return result;
    }

    /// <summary>
    /// Whether the font file (the first font of a collection) has TrueType outlines (a <c>glyf</c> table), which the PDF
    /// writer and <see cref="TrueTypeSubset"/> embed. OpenType fonts with PostScript outlines (<c>CFF </c>, as Debian's
    /// fonts-noto-cjk) have none. Reads only the table directory.
    /// </summary>
    public static bool HasTrueTypeOutlines(Stream font)
    {
        Span<byte> header = stackalloc byte[16];
        if (!ReadAt(font, 0, header[..12]))
        {
            return false;
        }

        long directory = 0;
        if (IsCollection(header))
        {
            if (!ReadAt(font, 12, header[..4]))
            {
                return false;
            }

            directory = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (!ReadAt(font, directory, header[..12]))
            {
                return false;
            }
        }

        int tables = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        for (var i = 0; i < tables; i++)
        {
            if (!ReadAt(font, directory + 12 + 16 * i, header))
            {
                return false;
            }

            if (BinaryPrimitives.ReadUInt32BigEndian(header) == GlyphTableTag)
            {
                return true;
            }
        }

        return false;
    }

    private const uint GlyphTableTag = 0x676C7966; // "glyf"

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
