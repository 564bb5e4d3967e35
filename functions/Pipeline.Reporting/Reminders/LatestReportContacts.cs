using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// Phones from each unit's latest report (its state row names the newest day, one point read gives its reporter).
/// Stands in until the officials' console's contact directory (which adds the token's contact phone) is wired in.
/// </summary>
public sealed class LatestReportContacts(ReportStore store) : IUnitContacts
{
    public async Task<IReadOnlyDictionary<string, string>> PhonesAsync(IReadOnlyCollection<string> unitCodes, CancellationToken cancellationToken)
    {
        var phones = await Task.WhenAll(unitCodes.Select(async code =>
        {
            var state = await store.ReadStateAsync(code, cancellationToken);
            var day = state.Days.LastOrDefault(d => d.Latest > 0);
            var report = day is null ? null : await store.ReadRevisionAsync(code, day.Date, day.Latest, cancellationToken);
            return (code, phone: report?.ReporterPhone);
        }));
        return phones.Where(p => !string.IsNullOrWhiteSpace(p.phone)).ToDictionary(p => p.code, p => p.phone!.Trim(), StringComparer.Ordinal);
    }
}
