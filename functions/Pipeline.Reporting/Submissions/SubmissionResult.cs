using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Submissions;

/// <summary>What became of one submitted report.</summary>
public abstract record SubmissionResult
{
    private SubmissionResult()
    {
    }

    /// <summary>Hard rules failed; nothing was stored.</summary>
    public sealed record Rejected(IReadOnlyList<FieldError> Errors) : SubmissionResult;

    /// <summary>The caller may not report for this unit; nothing was stored.</summary>
    public sealed record Forbidden(string UnitCode) : SubmissionResult;

    /// <param name="Latest">For a replay of an older revision, the newest one (see <see cref="SaveResult.Latest"/>).</param>
    public sealed record Saved(SaveOutcome Outcome, StoredReport Report, StoredReport? Latest = null) : SubmissionResult;
}
