using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// The ETags of counties' day marks (<see cref="Storage.ReportKeys.DayMarkRow"/>) for one day, as read at one moment;
/// a county with no mark has had no revision of that day written since marks exist. Every revision changes its
/// county's mark, so an area whose marks differ from what its rollup recorded has had a report since the build.
/// </summary>
public sealed record DayChangeMarks(IReadOnlyDictionary<string, string> ByCounty)
{
    /// <summary>
    /// One fingerprint of the marks of <paramref name="counties"/>, whatever their number (a table property has room for
    /// one hash, not for thousands of ETags). Counties without a mark add nothing, so before any mark exists it is the
    /// fingerprint of none, which is also what an index row written before marks existed is taken to hold.
    /// </summary>
    public string DigestOf(IEnumerable<string> counties)
    {
        var text = new StringBuilder();
        foreach (var county in counties.Order(StringComparer.Ordinal))
        {
            if (ByCounty.TryGetValue(county, out var etag))
            {
                text.Append(county).Append('=').Append(etag).Append('\n');
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
