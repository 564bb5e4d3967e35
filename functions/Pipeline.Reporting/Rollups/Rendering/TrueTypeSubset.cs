using System.Buffers.Binary;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// A TrueType font cut down to the glyphs of some characters, renumbered from 1 (0 stays <c>.notdef</c>), with the
/// tables the PDF writer reads (outlines, metrics, a character map, names, hinting). The PDF writer subsets the font
/// of every document it saves, but keeps the glyph index and metrics of every glyph of the font: for a CJK font of
/// about 50,000 glyphs that is some 400 KB to compress per document, most of a county PDF's time. Cut once to the
/// characters the rollup files can print, each document's subset is a few kilobytes.
/// </summary>
public static class TrueTypeSubset
{
    private const ushort MoreComponents = 0x0020;
    private const ushort ArgsAreWords = 0x0001;
    private const ushort HasScale = 0x0008;
    private const ushort HasXAndYScale = 0x0040;
    private const ushort HasTwoByTwo = 0x0080;

    /// <summary>Copied as they are: none of them names a glyph by its index.</summary>
    private static readonly string[] CopiedTables = ["OS/2", "cvt ", "fpgm", "gasp", "prep"];

    /// <summary>
    /// The font with the glyphs of those <paramref name="characters"/> it has (characters of the Basic Multilingual Plane;
    /// others are left out, as are characters the font lacks), and the characters kept.
    /// </summary>
    /// <param name="nameSuffix">
    /// Added to the font's family name: the PDF writer knows a font by its name, so a subset named as its font would be
    /// taken for it (or for another subset).
    /// </param>
    public static (byte[] Font, IReadOnlySet<char> Characters) Keep(byte[] font, IEnumerable<char> characters, string nameSuffix)
    {
        var tables = Tables(font);
        var head = tables["head"];
        var longOffsets = BinaryPrimitives.ReadInt16BigEndian(head.Span[50..]) == 1;
        var glyphCount = BinaryPrimitives.ReadUInt16BigEndian(tables["maxp"].Span[4..]);
        var metricCount = BinaryPrimitives.ReadUInt16BigEndian(tables["hhea"].Span[34..]);
        var loca = tables["loca"];
        var glyf = tables["glyf"];
        var hmtx = tables["hmtx"];
        var lookup = CharacterMap(tables["cmap"]);

        // New glyph ids: .notdef, then the characters' glyphs in character order (so runs of characters stay runs in the
        // new map), then the components of composite glyphs.
        var kept = new SortedDictionary<char, int>();
        var order = new List<int> { 0 };
        var newId = new Dictionary<int, int> { [0] = 0 };
        foreach (var c in characters.Distinct().Order())
        {
            if (char.IsSurrogate(c) || lookup(c) is not (> 0 and var glyph) || glyph >= glyphCount)
            {
                continue;
            }

            if (!newId.TryGetValue(glyph, out var id))
            {
                id = order.Count;
                newId[glyph] = id;
                order.Add(glyph);
            }

            kept[c] = id;
        }

        for (var i = 0; i < order.Count; i++)
        {
            foreach (var (component, _) in Components(Glyph(order[i])))
            {
                if (newId.TryAdd(component, order.Count))
                {
                    order.Add(component);
                }
            }
        }

        // Outlines (composites pointing at the new ids), their offsets, and every glyph's metrics.
        var outlines = new MemoryStream();
        var offsets = new byte[4 * (order.Count + 1)];
        var metrics = new byte[4 * order.Count];
        for (var i = 0; i < order.Count; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(offsets.AsSpan(4 * i), (uint)outlines.Length);
            var data = Glyph(order[i]).ToArray();
            foreach (var (component, at) in Components(data))
            {
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), (ushort)newId[component]);
            }

            outlines.Write(data);
            outlines.Write(new byte[Padding(data.Length)]);
            var (advance, bearing) = Metrics(order[i]);
            BinaryPrimitives.WriteUInt16BigEndian(metrics.AsSpan(4 * i), advance);
            BinaryPrimitives.WriteInt16BigEndian(metrics.AsSpan(4 * i + 2), bearing);
        }

        BinaryPrimitives.WriteUInt32BigEndian(offsets.AsSpan(4 * order.Count), (uint)outlines.Length);

        var newHead = head.ToArray();
        BinaryPrimitives.WriteInt16BigEndian(newHead.AsSpan(50), 1);
        BinaryPrimitives.WriteUInt32BigEndian(newHead.AsSpan(8), 0);
        var newMaxp = tables["maxp"].ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(newMaxp.AsSpan(4), (ushort)order.Count);
        var newHhea = tables["hhea"].ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(newHhea.AsSpan(34), (ushort)order.Count);
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["cmap"] = Format4(kept),
            ["glyf"] = outlines.ToArray(),
            ["head"] = newHead,
            ["hhea"] = newHhea,
            ["hmtx"] = metrics,
            ["loca"] = offsets,
            ["maxp"] = newMaxp,
            ["name"] = Names(FamilyName(tables["name"]) + " " + nameSuffix),
            ["post"] = PostWithoutNames(tables["post"]),
        };
        foreach (var tag in CopiedTables)
        {
            if (tables.TryGetValue(tag, out var table))
            {
                result[tag] = table.ToArray();
            }
        }

        return (Assemble(result), kept.Keys.ToHashSet());

        ReadOnlyMemory<byte> Glyph(int glyph)
        {
            var (start, end) = longOffsets
                ? ((int)BinaryPrimitives.ReadUInt32BigEndian(loca.Span[(4 * glyph)..]), (int)BinaryPrimitives.ReadUInt32BigEndian(loca.Span[(4 * glyph + 4)..]))
                : (2 * BinaryPrimitives.ReadUInt16BigEndian(loca.Span[(2 * glyph)..]), 2 * BinaryPrimitives.ReadUInt16BigEndian(loca.Span[(2 * glyph + 2)..]));
            return end > start ? glyf[start..end] : ReadOnlyMemory<byte>.Empty;
        }

        (ushort Advance, short Bearing) Metrics(int glyph)
        {
            var span = hmtx.Span;
            return glyph < metricCount
                ? (BinaryPrimitives.ReadUInt16BigEndian(span[(4 * glyph)..]), BinaryPrimitives.ReadInt16BigEndian(span[(4 * glyph + 2)..]))
                : (BinaryPrimitives.ReadUInt16BigEndian(span[(4 * (metricCount - 1))..]),
                    BinaryPrimitives.ReadInt16BigEndian(span[(4 * metricCount + 2 * (glyph - metricCount))..]));
        }
    }

    /// <summary>The font's tables by tag.</summary>
    private static Dictionary<string, ReadOnlyMemory<byte>> Tables(byte[] font)
    {
        var count = FontTableDirectory.Count(font);
        var tables = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var table = FontTableDirectory.Table(font, i);
            tables[FontTableDirectory.TagName(table.Tag)] = font.AsMemory(table.Offset, table.Length);
        }

        return tables;
    }

    /// <summary>The glyph of a character by the font's Unicode map (format 12 when it has one, else format 4); 0 when it has none.</summary>
    private static Func<char, int> CharacterMap(ReadOnlyMemory<byte> cmap)
    {
        var span = cmap.Span;
        int count = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
        int? format4 = null, format12 = null;
        for (var i = 0; i < count; i++)
        {
            var platform = BinaryPrimitives.ReadUInt16BigEndian(span[(4 + 8 * i)..]);
            var encoding = BinaryPrimitives.ReadUInt16BigEndian(span[(6 + 8 * i)..]);
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(span[(8 + 8 * i)..]);
            var format = BinaryPrimitives.ReadUInt16BigEndian(span[offset..]);
            var unicode = platform == 0 || (platform == 3 && encoding is 1 or 10);
            if (unicode && format == 4)
            {
                format4 ??= offset;
            }
            else if (unicode && format == 12)
            {
                format12 ??= offset;
            }
        }

        if (format12 is { } at12)
        {
            return c =>
            {
                var table = cmap.Span[at12..];
                var groups = (int)BinaryPrimitives.ReadUInt32BigEndian(table[12..]);
                for (var g = 0; g < groups; g++)
                {
                    var group = table.Slice(16 + 12 * g, 12);
                    var start = BinaryPrimitives.ReadUInt32BigEndian(group);
                    var end = BinaryPrimitives.ReadUInt32BigEndian(group[4..]);
                    if (c >= start && c <= end)
                    {
                        return (int)(BinaryPrimitives.ReadUInt32BigEndian(group[8..]) + (c - start));
                    }
                }

                return 0;
            };
        }

        if (format4 is not { } at4)
        {
            throw new InvalidDataException("The font has no Unicode character map.");
        }

        return c =>
        {
            var table = cmap.Span[at4..];
            var segments = BinaryPrimitives.ReadUInt16BigEndian(table[6..]) / 2;
            var ends = 14;
            var starts = ends + 2 * segments + 2;
            var deltas = starts + 2 * segments;
            var ranges = deltas + 2 * segments;
            for (var s = 0; s < segments; s++)
            {
                var end = BinaryPrimitives.ReadUInt16BigEndian(table[(ends + 2 * s)..]);
                if (c > end)
                {
                    continue;
                }

                var start = BinaryPrimitives.ReadUInt16BigEndian(table[(starts + 2 * s)..]);
                if (c < start)
                {
                    return 0;
                }

                var delta = BinaryPrimitives.ReadInt16BigEndian(table[(deltas + 2 * s)..]);
                var range = BinaryPrimitives.ReadUInt16BigEndian(table[(ranges + 2 * s)..]);
                if (range == 0)
                {
                    return (c + delta) & 0xFFFF;
                }

                var glyph = BinaryPrimitives.ReadUInt16BigEndian(table[(ranges + 2 * s + range + 2 * (c - start))..]);
                return glyph == 0 ? 0 : (glyph + delta) & 0xFFFF;
            }

            return 0;
        };
    }

    /// <summary>The glyphs a composite glyph is made of, and where in its data each one's index lies.</summary>
    private static List<(int Glyph, int At)> Components(ReadOnlyMemory<byte> glyph)
    {
        var components = new List<(int, int)>();
        var data = glyph.Span;
        if (data.Length < 10 || BinaryPrimitives.ReadInt16BigEndian(data) >= 0)
        {
            return components;
        }

        var at = 10;
        ushort flags;
        do
        {
            flags = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
            components.Add((BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]), at + 2));
            at += 4 + ((flags & ArgsAreWords) != 0 ? 4 : 2)
                + ((flags & HasScale) != 0 ? 2 : (flags & HasXAndYScale) != 0 ? 4 : (flags & HasTwoByTwo) != 0 ? 8 : 0);
        }
        while ((flags & MoreComponents) != 0);
        return components;
    }

    private static List<(int Glyph, int At)> Components(byte[] glyph) => Components(glyph.AsMemory());

    /// <summary>A Windows Unicode (3, 1) format 4 map: one segment per run of consecutive characters with consecutive glyphs.</summary>
    private static byte[] Format4(SortedDictionary<char, int> characters)
    {
        var segments = new List<(ushort Start, ushort End, short Delta)>();
        foreach (var (c, glyph) in characters)
        {
            if (segments.Count > 0 && segments[^1].End == c - 1 && (ushort)(segments[^1].Delta + c) == glyph)
            {
                segments[^1] = segments[^1] with { End = c };
            }
            else
            {
                segments.Add((c, c, (short)(glyph - c)));
            }
        }

        segments.Add((0xFFFF, 0xFFFF, 1));
        var n = segments.Count;
        var length = 16 + 8 * n;
        var table = new byte[12 + length];
        var span = table.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, 0);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 3);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], 12);
        var sub = span[12..];
        BinaryPrimitives.WriteUInt16BigEndian(sub, 4);
        BinaryPrimitives.WriteUInt16BigEndian(sub[2..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(sub[6..], (ushort)(2 * n));
        var searchRange = 2 * (1 << (int)Math.Floor(Math.Log2(n)));
        BinaryPrimitives.WriteUInt16BigEndian(sub[8..], (ushort)searchRange);
        BinaryPrimitives.WriteUInt16BigEndian(sub[10..], (ushort)Math.Log2(searchRange / 2));
        BinaryPrimitives.WriteUInt16BigEndian(sub[12..], (ushort)(2 * n - searchRange));
        for (var s = 0; s < n; s++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(sub[(14 + 2 * s)..], segments[s].End);
            BinaryPrimitives.WriteUInt16BigEndian(sub[(16 + 2 * n + 2 * s)..], segments[s].Start);
            BinaryPrimitives.WriteInt16BigEndian(sub[(16 + 4 * n + 2 * s)..], segments[s].Delta);
            // idRangeOffset stays 0: every segment maps by its delta.
        }

        return table;
    }

    /// <summary>The family name (name id 1) in English from the Windows names, else the first one there is.</summary>
    private static string FamilyName(ReadOnlyMemory<byte> name)
    {
        var span = name.Span;
        int count = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
        int storage = BinaryPrimitives.ReadUInt16BigEndian(span[4..]);
        string? found = null;
        for (var i = 0; i < count; i++)
        {
            var record = span.Slice(6 + 12 * i, 12);
            var (platform, language, id) = (BinaryPrimitives.ReadUInt16BigEndian(record), BinaryPrimitives.ReadUInt16BigEndian(record[4..]),
                BinaryPrimitives.ReadUInt16BigEndian(record[6..]));
            if (platform != 3 || id != 1)
            {
                continue;
            }

            var text = System.Text.Encoding.BigEndianUnicode.GetString(
                span.Slice(storage + BinaryPrimitives.ReadUInt16BigEndian(record[10..]), BinaryPrimitives.ReadUInt16BigEndian(record[8..])));
            if (language == 0x0409)
            {
                return text;
            }

            found ??= text;
        }

        return found ?? "Font";
    }

    /// <summary>A name table of Windows English names: family, style (Regular), unique, full and PostScript name.</summary>
    private static byte[] Names(string family)
    {
        var postScript = family.Replace(" ", "", StringComparison.Ordinal);
        (ushort Id, string Text)[] names = [(1, family), (2, "Regular"), (3, family), (4, family), (6, postScript)];
        var strings = names.Select(n => System.Text.Encoding.BigEndianUnicode.GetBytes(n.Text)).ToList();
        var storage = 6 + 12 * names.Length;
        var table = new byte[storage + strings.Sum(s => s.Length)];
        var span = table.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)names.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)storage);
        var offset = 0;
        for (var i = 0; i < names.Length; i++)
        {
            var record = span.Slice(6 + 12 * i, 12);
            BinaryPrimitives.WriteUInt16BigEndian(record, 3);
            BinaryPrimitives.WriteUInt16BigEndian(record[2..], 1);
            BinaryPrimitives.WriteUInt16BigEndian(record[4..], 0x0409);
            BinaryPrimitives.WriteUInt16BigEndian(record[6..], names[i].Id);
            BinaryPrimitives.WriteUInt16BigEndian(record[8..], (ushort)strings[i].Length);
            BinaryPrimitives.WriteUInt16BigEndian(record[10..], (ushort)offset);
            strings[i].CopyTo(span[(storage + offset)..]);
            offset += strings[i].Length;
        }

        return table;
    }

    /// <summary>The post table as version 3: its metrics, without glyph names (they were the old glyphs').</summary>
    private static byte[] PostWithoutNames(ReadOnlyMemory<byte> post)
    {
        var table = post[..32].ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(table, 0x00030000);
        return table;
    }

    /// <summary>The font file: the table directory, the tables on 4-byte boundaries, checksums and head's adjustment.</summary>
    private static byte[] Assemble(SortedDictionary<string, byte[]> tables)
    {
        var n = tables.Count;
        var headerLength = FontTableDirectory.Length(n);
        var font = new byte[headerLength + tables.Values.Sum(t => t.Length + Padding(t.Length))];
        var span = font.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, 0x00010000);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)n);
        var power = 1 << (int)Math.Floor(Math.Log2(n));
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], (ushort)(16 * power));
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)Math.Log2(power));
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(16 * n - 16 * power));
        var position = headerLength;
        var headAt = 0;
        var i = 0;
        foreach (var (tag, table) in tables)
        {
            table.CopyTo(span[position..]);
            FontTableDirectory.Write(span, i++, new FontTable(
                FontTableDirectory.Tag(tag), Checksum(span.Slice(position, table.Length + Padding(table.Length))), position, table.Length));
            headAt = tag == "head" ? position : headAt;
            position += table.Length + Padding(table.Length);
        }

        BinaryPrimitives.WriteUInt32BigEndian(span[(headAt + 8)..], 0xB1B0AFBA - Checksum(span));
        return font;
    }

    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 4 <= data.Length; i += 4)
        {
            sum += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
        }

        return sum;
    }

    private static int Padding(int length) => (4 - length % 4) % 4;
}
