using Pipeline.Reporting.Access;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Contacts;

/// <summary>
/// The contact of each unit: the reporter name and phone of the unit's latest report (any day the unit's state row
/// keeps), else the contact of its live reporter token. Reads one range of state rows per county, one revision row
/// per unit that has reported, and the reporter tokens once.
/// </summary>
public sealed class UnitContactDirectory(ReportStore reports, TokenDirectory tokens, UnitRegistry units)
{
    private const int ReadsInParallel = 8;

    public async Task<IReadOnlyDictionary<string, UnitContact>> ForUnitsAsync(IReadOnlyCollection<string> unitCodes, CancellationToken ct)
    {
        var wanted = unitCodes.Where(units.IsTownship).Distinct(StringComparer.Ordinal).ToList();
        var fromReports = await FromLatestReportsAsync(wanted, ct);
        var missing = wanted.Where(c => !fromReports.ContainsKey(c)).ToList();
        var fromTokens = missing.Count == 0
            ? new Dictionary<string, TokenContact>(StringComparer.Ordinal)
            : await tokens.ReporterContactsAsync(missing, ct);

        var contacts = new Dictionary<string, UnitContact>(StringComparer.Ordinal);
        foreach (var code in unitCodes.Distinct(StringComparer.Ordinal))
        {
            contacts[code] = fromReports.TryGetValue(code, out var reported) ? reported
                : fromTokens.TryGetValue(code, out var token) ? new UnitContact(code, token.Name, token.Phone, UnitContactSource.Token)
                : UnitContact.None(code);
        }

        return contacts;
    }

    /// <summary>Units whose latest report names a reporter or a phone.</summary>
    private async Task<Dictionary<string, UnitContact>> FromLatestReportsAsync(IReadOnlyList<string> wanted, CancellationToken ct)
    {
        var latest = new List<(string Unit, DateOnly Date, int Revision)>();
        foreach (var county in wanted.GroupBy(c => units.CountyOf(c)!.Code))
        {
            var states = await reports.ReadStatesAsync(county.Key, ct);
            foreach (var code in county)
            {
                if (states.TryGetValue(code, out var state) && state.Days.LastOrDefault(d => d.Latest > 0) is { } day)
                {
                    latest.Add((code, day.Date, day.Latest));
                }
            }
        }

        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, UnitContact>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(latest, new ParallelOptions { MaxDegreeOfParallelism = ReadsInParallel, CancellationToken = ct }, async (l, token) =>
        {
            var report = await reports.ReadRevisionAsync(l.Unit, l.Date, l.Revision, token);
            if (report is not null && (report.ReporterName.Length > 0 || report.ReporterPhone.Length > 0))
            {
                found[l.Unit] = new UnitContact(l.Unit, NullIfEmpty(report.ReporterName), NullIfEmpty(report.ReporterPhone), UnitContactSource.LatestReport);
            }
        });
        return new Dictionary<string, UnitContact>(found, StringComparer.Ordinal);
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
