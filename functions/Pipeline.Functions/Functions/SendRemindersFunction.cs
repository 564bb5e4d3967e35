using Microsoft.Azure.Functions.Worker;
using Pipeline.Reporting.Reminders;
using Pipeline.Reporting.Storage;

namespace Pipeline.Functions.Functions;

/// <summary>
/// Every minute (UTC; a singleton with the host's past-due rule): runs the reminder cutoffs that have just passed in
/// the reporting time zone, then sends and retries the outbox's due messages. A frequent timer rather than one
/// NCRONTAB per cutoff: cutoffs are local times, per group and from the deadline setting, which one UTC schedule
/// cannot carry; and failed messages need retrying every minute anyway, not only at the next cutoff. A run waits for
/// the app's storage set-up first, as a past-due run at start may come before it.
/// </summary>
public sealed class SendRemindersFunction(ReminderService reminders, StorageInitializer storage)
{
    [Function("SendReminders")]
    public async Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        await storage.WhenReadyAsync("SendReminders", cancellationToken);
        await reminders.RunDueAsync(timer.IsPastDue, timer.ScheduleStatus?.Last is { } last && last != default ? new DateTimeOffset(last, TimeSpan.Zero) : null, cancellationToken);
    }
}
