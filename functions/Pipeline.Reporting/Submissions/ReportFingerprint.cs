using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Reporting.Submissions;

/// <summary>
/// The content hash that tells a replay from a correction, and the receipt a reporter can quote.
/// </summary>
public static class ReportFingerprint
{
    private const string ReceiptAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    /// <summary>A hash of what the reporter said (values, notes, contact): equal content, equal hash.</summary>
    /// <remarks>
    /// The text hashed is the values' <c>key=value</c> lines in ordinal key order, then notes, name and phone; stored
    /// hashes depend on it, so it never changes. It is written as UTF-8 straight into a rented buffer and hashed there
    /// (every report of a batch is hashed; building it as strings took about 1.8 KB each).
    /// </remarks>
    public static string ContentHash(ValidReport report)
    {
        var values = report.Values;
        var keys = ArrayPool<string>.Shared.Rent(values.Count);
        var count = 0;
        var size = TextSize(report.Notes) + TextSize(report.ReporterName) + TextSize(report.ReporterPhone) + 20;
        // A report's values are a Dictionary, whose keys enumerate without a box; any other map through the interface.
        if (values is Dictionary<string, decimal> map)
        {
            foreach (var key in map.Keys)
            {
                keys[count++] = key;
            }
        }
        else
        {
            foreach (var key in values.Keys)
            {
                keys[count++] = key;
            }
        }

        for (var i = 0; i < count; i++)
        {
            size += TextSize(keys[i]) + 1 + MaxDecimalLength + 1;
        }

        // A static method group: its delegate is cached (an IComparer would be wrapped in a new one on every sort).
        keys.AsSpan(0, count).Sort(string.CompareOrdinal);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var written = 0;
            for (var i = 0; i < count; i++)
            {
                written += Encoding.UTF8.GetBytes(keys[i], buffer.AsSpan(written));
                buffer[written++] = (byte)'=';
                values[keys[i]].TryFormat(buffer.AsSpan(written), out var digits, "0.##", CultureInfo.InvariantCulture);
                written += digits;
                buffer[written++] = (byte)'\n';
            }

            written += Append(buffer.AsSpan(written), "notes="u8, report.Notes, "\n"u8);
            written += Append(buffer.AsSpan(written), "name="u8, report.ReporterName, "\n"u8);
            written += Append(buffer.AsSpan(written), "phone="u8, report.ReporterPhone, ""u8);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, written), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<string>.Shared.Return(keys, clearArray: true);
        }
    }

    /// <summary>The longest a decimal formatted "0.##" can be: 29 digits, a sign and a point.</summary>
    private const int MaxDecimalLength = 32;

    private static int TextSize(string? text) => Encoding.UTF8.GetMaxByteCount(text?.Length ?? 0);

    private static int Append(Span<byte> into, ReadOnlySpan<byte> label, string? text, ReadOnlySpan<byte> end)
    {
        label.CopyTo(into);
        var written = label.Length + Encoding.UTF8.GetBytes(text ?? "", into[label.Length..]);
        end.CopyTo(into[written..]);
        return written + end.Length;
    }

    /// <summary>A short code (<c>XXXXX-XXXXX</c>) binding unit, date, revision and content.</summary>
    public static string Receipt(string unitCode, DateOnly reportDate, int revision, string contentHash)
    {
        var input = $"{unitCode}|{ReportDate.Iso(reportDate)}|{revision}|{contentHash}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(input));
        var code = new char[10];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = ReceiptAlphabet[hash[i] % ReceiptAlphabet.Length];
        }

        return $"{new string(code, 0, 5)}-{new string(code, 5, 5)}";
    }
}
