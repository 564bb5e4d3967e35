namespace Pipeline.Reporting.Reminders;

/// <summary>
/// The phone to @-mention for each unit: its latest report's reporter, else its reporter token's contact phone.
/// Units without a known phone are left out of the answer.
/// </summary>
public interface IUnitContacts
{
    Task<IReadOnlyDictionary<string, string>> PhonesAsync(IReadOnlyCollection<string> unitCodes, CancellationToken cancellationToken);
}
