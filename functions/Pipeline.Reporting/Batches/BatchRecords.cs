using Pipeline.Reporting.Access;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Batches;

public enum BatchStatus
{
    Queued,
    Processing,
    Completed,
}

public enum BatchRowOutcome
{
    Created,
    Updated,
    Unchanged,
    Rejected,

    /// <summary>The row could not be processed (a storage fault on the last attempt, or the payload was lost); see its errors.</summary>
    NotProcessed,
}

/// <summary>A batch as accepted: who sent it (the caller's rights are applied when its rows are processed), what, and how far it got.</summary>
public sealed record BatchInfo(
    string BatchId,
    BatchStatus Status,
    BatchFormat Format,
    int Total,
    Caller Submitter,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? PayloadBlob);

/// <summary>What became of one row. Errors are codes keyed like the single-report path; they are rendered per reader.</summary>
public sealed record BatchRowResult(
    int Row,
    string? UnitCode,
    string? ReportDate,
    BatchRowOutcome Outcome,
    int? Revision,
    string? Receipt,
    IReadOnlyList<ReportWarning> Warnings,
    IReadOnlyList<FieldError> Errors)
{
    public bool IsAccepted => Outcome is BatchRowOutcome.Created or BatchRowOutcome.Updated or BatchRowOutcome.Unchanged;
}

/// <summary>The queue message of a batch: the batch id and either the payload itself or the blob holding it (claim check).</summary>
/// <param name="Resumes">How many workers died on this batch before (see <see cref="BatchResumeGuard"/>); counted as deliveries.</param>
/// <param name="Fallback">The hidden copy the submitter left in case this message never reached the queue (<see cref="BatchSubmitter"/>); a run withdraws it.</param>
public sealed record BatchMessage(string BatchId, string? Payload, string? Blob, int Resumes = 0, QueuedCopy? Fallback = null);

/// <summary>A message this app put on a queue itself, by the id and pop receipt storage answered: enough to withdraw it while it is hidden.</summary>
public sealed record QueuedCopy(string MessageId, string PopReceipt);

/// <summary>An accepted batch and the message that starts it, which the submit function hands to its queue output binding.</summary>
public sealed record BatchSubmission(BatchInfo Batch, string Message);
