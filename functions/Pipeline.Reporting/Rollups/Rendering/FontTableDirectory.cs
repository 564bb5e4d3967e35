using System.Buffers.Binary;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>One record of a font's table directory: a table's tag and where it lies in the file.</summary>
internal readonly record struct FontTable(uint Tag, uint Checksum, int Offset, int Length);

/// <summary>
/// The table directory that starts a TrueType or OpenType font (and each font of a collection): a 12-byte header with
/// the number of tables at byte 4, then one 16-byte record per table. The one reader of it for the collection splitter,
/// the subsetter and the outline check.
/// </summary>
internal static class FontTableDirectory
{
    public const int HeaderLength = 12;
    private const int RecordLength = 16;

    /// <summary>How many tables the directory starting with <paramref name="header"/> lists.</summary>
    public static int Count(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt16BigEndian(header[4..]);

    /// <summary>The bytes of a directory of <paramref name="count"/> tables, its header included.</summary>
    public static int Length(int count) => HeaderLength + RecordLength * count;

    /// <summary>Table <paramref name="index"/> of the directory that starts <paramref name="directory"/>.</summary>
    public static FontTable Table(ReadOnlySpan<byte> directory, int index)
    {
        var record = directory.Slice(HeaderLength + RecordLength * index, RecordLength);
        return new FontTable(
            BinaryPrimitives.ReadUInt32BigEndian(record), BinaryPrimitives.ReadUInt32BigEndian(record[4..]),
            (int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]), (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
    }

    /// <summary>Writes <paramref name="table"/> as record <paramref name="index"/> of the directory that starts <paramref name="directory"/>.</summary>
    public static void Write(Span<byte> directory, int index, FontTable table)
    {
        var record = directory.Slice(HeaderLength + RecordLength * index, RecordLength);
        BinaryPrimitives.WriteUInt32BigEndian(record, table.Tag);
        BinaryPrimitives.WriteUInt32BigEndian(record[4..], table.Checksum);
        BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)table.Offset);
        BinaryPrimitives.WriteUInt32BigEndian(record[12..], (uint)table.Length);
    }

    /// <summary>The four-letter tag as the specification spells it ("glyf", "OS/2", "cvt ").</summary>
    public static string TagName(uint tag)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, tag);
        return System.Text.Encoding.ASCII.GetString(bytes);
    }

    /// <summary>The tag spelled <paramref name="name"/> (four ASCII letters).</summary>
    public static uint Tag(string name)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Text.Encoding.ASCII.GetBytes(name, bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
