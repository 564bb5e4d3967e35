namespace Pipeline.Reporting.Reminders;

/// <summary>
/// What a run of a cutoff did: parts the services accepted in this run, parts left alone (accepted before, or a
/// group with nothing missing), parts not accepted yet (pending retries on the timer, or given up).
/// </summary>
public sealed record ReminderRunResult(int Sent, int Skipped, int Failed, bool Enabled = true);
