using Pipeline.Reporting.Contacts;

namespace Pipeline.Reporting.Reminders;

/// <summary>The reminders' phones from the officials' contact directory: latest report's reporter, else the reporter token's contact.</summary>
public sealed class DirectoryUnitContacts(UnitContactDirectory directory) : IUnitContacts
{
    public async Task<IReadOnlyDictionary<string, string>> PhonesAsync(IReadOnlyCollection<string> unitCodes, CancellationToken cancellationToken) =>
        (await directory.ForUnitsAsync(unitCodes, cancellationToken)).Values
            .Where(c => !string.IsNullOrWhiteSpace(c.Phone))
            .ToDictionary(c => c.UnitCode, c => c.Phone!.Trim(), StringComparer.Ordinal);
}
