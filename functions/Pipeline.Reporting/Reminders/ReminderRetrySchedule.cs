namespace Pipeline.Reporting.Reminders;

/// <summary>
/// When a failed message is tried again: <see cref="ReminderOptions.FirstRetryDelay"/> after the first failure,
/// doubling up to <see cref="ReminderOptions.MaxRetryDelay"/>, until an attempt fails at or after
/// <see cref="ReminderOptions.RetryFor"/> from when the message was recorded (then it is failed).
/// </summary>
public sealed class ReminderRetrySchedule(TimeSpan firstDelay, TimeSpan maxDelay, TimeSpan retryFor)
{
    public static ReminderRetrySchedule From(ReminderOptions options) => new(options.FirstRetryDelay, options.MaxRetryDelay, options.RetryFor);

    /// <summary>The wait after the <paramref name="failedAttempts"/>-th failed attempt (1 = the first).</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        var delay = firstDelay;
        for (var i = 1; i < failedAttempts && delay < maxDelay; i++)
        {
            delay += delay;
        }

        return delay < maxDelay ? delay : maxDelay;
    }

    /// <summary>
    /// Whether the run that saw attempt <paramref name="failedAttempts"/> fail at <paramref name="failedAt"/> waits and tries
    /// again itself: when the retry falls due before the run's end, and always for the first retry (within
    /// <c>firstDelay</c>, so it never waits for the next run). Otherwise the next timer run takes it.
    /// </summary>
    public bool RetriesInRun(DateTimeOffset failedAt, int failedAttempts, DateTimeOffset runEnd) =>
        DelayAfter(failedAttempts) <= firstDelay || failedAt + DelayAfter(failedAttempts) <= runEnd;

    /// <summary>Whether a message recorded at <paramref name="recordedAt"/> that failed at <paramref name="failedAt"/> is given up.</summary>
    public bool GivesUp(DateTimeOffset recordedAt, DateTimeOffset failedAt) => failedAt - recordedAt >= retryFor;
}
