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
    public static string ContentHash(ValidReport report)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in report.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append('=').Append(value.ToString("0.##", CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("notes=").Append(report.Notes).Append('\n')
            .Append("name=").Append(report.ReporterName).Append('\n')
            .Append("phone=").Append(report.ReporterPhone);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
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
