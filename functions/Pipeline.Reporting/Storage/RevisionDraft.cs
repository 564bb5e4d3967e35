using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Storage;

/// <summary>Everything about a new revision except its number and receipt, which the store assigns.</summary>
public sealed record RevisionDraft(
    ValidReport Report,
    string ContentHash,
    DateTimeOffset ReceivedAt,
    bool Late,
    IReadOnlyList<ReportWarning> Warnings,
    string SubmittedBy);

public enum SaveOutcome
{
    Created,
    Updated,
    Unchanged,
}

public sealed record SaveResult(SaveOutcome Outcome, StoredReport Report);
