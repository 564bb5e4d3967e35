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

    /// <summary>Tables start on 4-byte boundaries.</summary>
    private static int Padded(int length) => (length + 3) & ~3;
}
