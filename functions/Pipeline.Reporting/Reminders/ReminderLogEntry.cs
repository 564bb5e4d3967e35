namespace Pipeline.Reporting.Reminders;

/// <summary>One message as <c>GET /api/reminders/{date}</c> shows it: never the url or the secret.</summary>
public sealed record ReminderLogEntry(
    string Cutoff,
    string Scope,
    string Kind,
    int Group,
    int Part,
    int Parts,
    string Status,
    int Attempts,
    DateTimeOffset? SentAt,
    string? Error,
    IReadOnlyList<MissingRef> Missing);
