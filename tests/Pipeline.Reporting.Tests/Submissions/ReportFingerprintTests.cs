using System.Security.Cryptography;
using System.Text;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Tests.Submissions;

/// <summary>
/// The content hash is stored with every revision and compared with every report that comes later (a replay or a
/// correction), so its text never changes: the values in key order as <c>key=value</c> lines, then notes, name and phone.
/// </summary>
public sealed class ReportFingerprintTests
{
    private static readonly ValidReport Sample = new(
        "623024100", new DateOnly(2026, 11, 27), "s-1",
        new Dictionary<string, decimal> { ["returnees"] = 12.5m, ["outflow"] = 0m, ["quarantined"] = 3.456m, ["Zeta"] = 1_000_000m, ["inflow"] = -2m },
        "夜间 返乡\n两人", "卓玛", "13800000000");

    [Fact]
    public void The_hash_is_the_SHA_256_of_the_values_in_ordinal_key_order_then_notes_name_and_phone()
    {
        var text = "Zeta=1000000\ninflow=-2\noutflow=0\nquarantined=3.46\nreturnees=12.5\nnotes=夜间 返乡\n两人\nname=卓玛\nphone=13800000000";
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), ReportFingerprint.ContentHash(Sample));
        Assert.Equal(
            ReportFingerprint.ContentHash(Sample with { Values = new Dictionary<string, decimal>(Sample.Values.Reverse()) }),
            ReportFingerprint.ContentHash(Sample));
        Assert.NotEqual(ReportFingerprint.ContentHash(Sample with { Notes = "" }), ReportFingerprint.ContentHash(Sample));
    }

    [Fact]
    public void Hashing_a_report_allocates_its_hex_string_and_little_beside_it()
    {
        // Every report of a batch is hashed: a StringBuilder, a string per value, the text, its bytes and the hash's array
        // took 1,776 bytes.
        ReportFingerprint.ContentHash(Sample);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var hash = ReportFingerprint.ContentHash(Sample);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(64, hash.Length);
        // The 64-character string: 152 bytes.
        Assert.Equal(152, allocated);
    }
}
