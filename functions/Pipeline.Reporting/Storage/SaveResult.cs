namespace Pipeline.Reporting.Storage;

/// <param name="Latest">For a replay of an older revision, the newest one: what the unit's report now says.</param>
public sealed record SaveResult(SaveOutcome Outcome, StoredReport Report, StoredReport? Latest = null)
{
    public StoredReport Current => Latest ?? Report;
}
