using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Storage;

/// <summary>Everything about a new revision except its number and receipt, which the store assigns.</summary>
public sealed record RevisionDraft(
    ValidReport Report,
    string ContentHash,
    DateTimeOffset ReceivedAt,
    bool Late,
    IReadOnlyList<ReportWarning> Warnings,
    string SubmittedBy,
    string SubmitterRole = "");

public enum SaveOutcome
{
    Created,
    Updated,
    Unchanged,
}

/// <param name="Latest">For a replay of an older revision, the newest one: what the unit's report now says.</param>
public sealed record SaveResult(SaveOutcome Outcome, StoredReport Report, StoredReport? Latest = null)
{
    public StoredReport Current => Latest ?? Report;
}
