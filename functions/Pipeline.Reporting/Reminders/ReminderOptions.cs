using System.Globalization;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// Reminders and escalation (spec section 8), bound from <c>Pipeline:Reminders</c> (<c>Pipeline__Reminders__*</c>).
/// The retry figures are settings so that tests can run the schedule on a fake clock; the defaults meet the spec.
/// </summary>
public sealed class ReminderOptions
{
    public const string Section = "Pipeline:Reminders";

    /// <summary>One switch for every reminder and notice (when the emergency level drops).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Local cutoffs, comma-separated <c>HH:mm</c>; a group's own <see cref="ReminderGroupOptions.Times"/> overrides them.</summary>
    public string Times { get; set; } = "10:00,16:00,20:00";

    public List<ReminderGroupOptions> Groups { get; set; } = [];

    /// <summary>The form's address in messages; when unset, <c>Pipeline:PublicBaseUrl</c> + <c>/api/form</c>, else <c>https://{WEBSITE_HOSTNAME}/api/form</c> (set by Azure).</summary>
    public string? FormUrl { get; set; }

    /// <summary>Delay before the first retry of a failed message (spec: within 10 s).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest delay between two attempts. Spec: at most 60 s apart; a retry due after a run's <see cref="TimerBudget"/>
    /// waits for the next run (at most 60 s - budget later), so this plus that wait stays within 60 s.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>A message is given up (status failed) at its first failed attempt this long after it was recorded (spec: at least an hour).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Messages a minute per robot (WeCom and DingTalk both allow 20).</summary>
    public int PerRobotPerMinute { get; set; } = 20;

    /// <summary>One HTTP attempt's time limit.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one timer run keeps sending and retrying before it leaves the rest to the next (every-minute) run.</summary>
    public TimeSpan TimerBudget { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>How long <c>POST /api/reminders/{date}/run</c> sends and retries before it answers; the timer goes on after it.</summary>
    public TimeSpan RunBudget { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The group's cutoffs: its own <c>Times</c>, else <see cref="Times"/>. Valid after start-up validation.</summary>
    public IReadOnlyList<TimeOnly> TimesOf(ReminderGroupOptions group) =>
        ParseTimes(string.IsNullOrWhiteSpace(group.Times) ? Times : group.Times) ?? [];

    /// <summary>Comma-separated <c>HH:mm</c>, or null when any entry is not a time.</summary>
    public static IReadOnlyList<TimeOnly>? ParseTimes(string? text)
    {
        var times = new List<TimeOnly>();
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TimeOnly.TryParseExact(entry, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                return null;
            }

            times.Add(time);
        }

        return times.Distinct().Order().ToList();
    }
}
