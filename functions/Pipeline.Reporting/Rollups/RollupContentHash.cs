using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Pipeline.Reporting.Rollups.Rendering;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// A rollup's content fingerprint (SHA-256, lowercase hex): the document without revision, generation time and the
/// comparison with the revision before, its units in a compact form and the rest as compact JSON. The units are nearly
/// all of a large area's document; serialising them to JSON a second time only to hash them cost as much as the JSON
/// file itself. The compact form: each string as its UTF-16 length (-1 for none) and code units, each number as its
/// four decimal words (so 1.5 and 1.50 differ, as they do in the JSON file), flags and counts as they are; each unit
/// after a 1 and the last one followed by a 0. The units come first, so a large area is hashed unit by unit while its
/// counties are read (<see cref="Add"/>) and only the rest (<see cref="Finish"/>) once the whole day is.
/// </summary>
public sealed class RollupContentHash : IDisposable
{
    private const int BufferBytes = 64 * 1024;

    /// <summary>The most one value other than a string adds (a decimal, a count).</summary>
    private const int ValueBytes = 16;

    /// <summary>What <see cref="UnitRollup"/> holds, in the order hashed: a property added to it must be added here too.</summary>
    public static readonly IReadOnlyList<string> UnitProperties =
    [
        nameof(UnitRollup.Code), nameof(UnitRollup.Name), nameof(UnitRollup.CountyCode), nameof(UnitRollup.Reported), nameof(UnitRollup.Late),
        nameof(UnitRollup.Revision), nameof(UnitRollup.Values), nameof(UnitRollup.Warnings), nameof(UnitRollup.Notes),
        nameof(UnitRollup.ReporterName), nameof(UnitRollup.ReporterPhone),
    ];

    private readonly SHA256 sha = SHA256.Create();
    private readonly CryptoStream hashing;
    private readonly UnitWriter units;
    private string? hash;

    public RollupContentHash()
    {
        hashing = new CryptoStream(Stream.Null, sha, CryptoStreamMode.Write);
        units = new UnitWriter(hashing);
    }

    public static string Of(RollupDocument content)
    {
        using var hash = new RollupContentHash();
        hash.Add(content.Units);
        return hash.Finish(content);
    }

    /// <summary>The next units of the area, in its order (county by county).</summary>
    public void Add(IEnumerable<UnitRollup> next)
    {
        if (hash is not null)
        {
            throw new InvalidOperationException("The hash is already finished.");
        }

        foreach (var unit in next)
        {
            units.Unit(unit);
        }
    }

    /// <summary>The fingerprint of the units added and the rest of <paramref name="content"/> (its own units are not read again).</summary>
    public string Finish(RollupDocument content)
    {
        if (hash is null)
        {
            units.End();
            units.Flush();
            using (var json = new RollupJsonWriter(hashing, JsonDefaults.Web))
            {
                json.Write(content with { Revision = 0, GeneratedAt = null, RevisionChanges = null, Units = [] });
            }

            hashing.FlushFinalBlock();
            hash = Convert.ToHexStringLower(sha.Hash!);
        }

        return hash;
    }

    public void Dispose()
    {
        hashing.Dispose();
        sha.Dispose();
    }

    /// <summary>Units in the compact form, buffered and handed to the hash in large pieces.</summary>
    private sealed class UnitWriter(Stream hash)
    {
        private readonly byte[] buffer = new byte[BufferBytes];
        private int position;

        public void Unit(UnitRollup unit)
        {
            Flag(true);
            Text(unit.Code);
            Text(unit.Name);
            Text(unit.CountyCode);
            Flag(unit.Reported);
            Flag(unit.Late);
            Flag(unit.Revision.HasValue);
            Count(unit.Revision ?? 0);
            Count(unit.Values.Count);
            foreach (var (key, value) in unit.Values)
            {
                Text(key);
                Number(value);
            }

            Count(unit.Warnings.Count);
            foreach (var warning in unit.Warnings)
            {
                Text(warning.Indicator);
                Text(warning.Rule);
                Number(warning.Value);
                Number(warning.Reference);
            }

            Text(unit.Notes);
            Text(unit.ReporterName);
            Text(unit.ReporterPhone);
        }

        /// <summary>After the last unit: nothing that follows reads as one more.</summary>
        public void End() => Flag(false);

        public void Count(int value)
        {
            Room(ValueBytes);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(position), value);
            position += 4;
        }

        public void Flush()
        {
            hash.Write(buffer, 0, position);
            position = 0;
        }

        private void Flag(bool value)
        {
            Room(ValueBytes);
            buffer[position++] = value ? (byte)1 : (byte)0;
        }

        private void Number(decimal value)
        {
            Room(ValueBytes);
            Span<int> words = stackalloc int[4];
            decimal.GetBits(value, words);
            MemoryMarshal.AsBytes(words).CopyTo(buffer.AsSpan(position));
            position += ValueBytes;
        }

        private void Text(string? text)
        {
            Count(text?.Length ?? -1);
            if (text is null)
            {
                return;
            }

            var bytes = MemoryMarshal.AsBytes(text.AsSpan());
            if (bytes.Length > buffer.Length - position)
            {
                Flush();
                if (bytes.Length > buffer.Length)
                {
                    hash.Write(bytes);
                    return;
                }
            }

            bytes.CopyTo(buffer.AsSpan(position));
            position += bytes.Length;
        }

        private void Room(int bytes)
        {
            if (position + bytes > buffer.Length)
            {
                Flush();
            }
        }
    }
}
