using Azure;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// One (date, cutoff, group, part) message in the outbox: recorded before it is sent, with the exact body to send
/// (a retry sends the same text), marked sent once the service accepted it. The url is not stored: it is read from
/// the group's settings at each attempt, so a rotated key applies to retries too.
/// </summary>
public sealed record OutboxMessage(
    DateOnly Date,
    string Cutoff,
    int Group,
    string Scope,
    ReminderKind Kind,
    int Part,
    int Parts,
    string Body,
    IReadOnlyList<MissingRef> Missing,
    string Status,
    int Attempts,
    DateTimeOffset RecordedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? ClaimedUntil,
    DateTimeOffset? SentAt,
    string? LastError,
    ETag ETag = default)
{
    /// <summary>Whether a dispatcher may take it now: pending, due, and not held by an attempt in flight.</summary>
    public bool IsDue(DateTimeOffset now) =>
        Status == OutboxStatus.Pending && NextAttemptAt <= now && (ClaimedUntil is null || ClaimedUntil <= now);
}
