using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// Runs cutoffs: for each group addressed at a cutoff, who is missing right now, composed for the group's service,
/// recorded in the outbox (once per day, cutoff and group), then sent by the <see cref="ReminderDispatcher"/>.
/// A county group is addressed at its times; the prefecture group at the deadline (and at its own times, if it has
/// any). An operator's run of any HH:mm addresses every county group, and the prefecture group from the deadline on.
/// </summary>
public sealed partial class ReminderService(
    IOptions<ReminderOptions> options,
    IOptions<Configuration.PipelineOptions> pipeline,
    ReportingClock clock,
    UnitRegistry units,
    DayReader reader,
    IUnitContacts contacts,
    ReminderComposer composer,
    IEnumerable<IRobotFormat> formats,
    ReminderOutbox outbox,
    ReminderDispatcher dispatcher,
    TimeProvider time,
    ILogger<ReminderService> logger)
{
    /// <summary>How far back an on-time run looks for a cutoff it has just passed (a tick may come a little late).</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromMinutes(2);

    /// <summary>The furthest back an on-time run looks: a cutoff older than that is the past-due run's, or missed.</summary>
    public static readonly TimeSpan LateTickLimit = TimeSpan.FromMinutes(15);

    private ReminderOptions Options => options.Value;

    /// <summary>
    /// The timer's run: the cutoffs passed since the previous run (a past-due run after a stop: only the latest passed
    /// cutoff of each group within a day), then every due message of the open days.
    /// </summary>
    public async Task RunDueAsync(bool isPastDue, DateTimeOffset? lastRun, CancellationToken cancellationToken)
    {
        if (!Options.Enabled)
        {
            return;
        }

        var now = time.GetUtcNow();
        // Since the previous run (the host's ScheduleStatus.Last), so a tick that came late misses no cutoff: at least
        // the lookback, at most LateTickLimit (a longer gap is the host's past-due case), a day when past due.
        // Windows may overlap: a cutoff recorded before is not composed again.
        var since = lastRun ?? now - Lookback;
        var from = isPastDue ? Max(since, now.AddDays(-1)) : Max(Min(since, now - Lookback), now - LateTickLimit);
        for (var g = 0; g < Options.Groups.Count; g++)
        {
            var due = DueCutoffs(g, from, now);
            foreach (var (date, cutoff) in isPastDue ? due.TakeLast(1) : due)
            {
                await ComposeAsync(g, date, cutoff, cancellationToken);
            }
        }

        await dispatcher.DispatchAsync(dispatcher.OpenDays(), _ => true, Options.TimerBudget, cancellationToken);
    }

    /// <summary>An operator's run of one cutoff (<c>POST /api/reminders/{date}/run?cutoff=</c>); a second run sends nothing new.</summary>
    public async Task<ReminderRunResult> RunCutoffAsync(DateOnly date, TimeOnly cutoff, CancellationToken cancellationToken)
    {
        if (!Options.Enabled)
        {
            return new ReminderRunResult(0, 0, 0, Enabled: false);
        }

        var nothingMissing = 0;
        for (var g = 0; g < Options.Groups.Count; g++)
        {
            if (AddressedByOperator(Options.Groups[g], cutoff) && (await ComposeAsync(g, date, cutoff, cancellationToken)).Parts == 0)
            {
                nothingMissing++;
            }
        }

        var label = Hm(cutoff);
        var sent = await dispatcher.DispatchAsync([date], m => m.Cutoff == label, Options.RunBudget, cancellationToken);
        var skipped = nothingMissing - sent;
        var failed = 0;
        await foreach (var message in outbox.ReadDayAsync(date, cancellationToken))
        {
            if (message.Cutoff != label)
            {
                continue;
            }

            if (message.Status == OutboxStatus.Sent)
            {
                skipped++; // less the ones this run sent, counted above
            }
            else
            {
                failed++;
            }
        }

        return new ReminderRunResult(sent, skipped, failed);
    }

    /// <summary>The (date, cutoff) pairs of group <paramref name="g"/> whose instant lies in (<paramref name="from"/>, <paramref name="to"/>], oldest first.</summary>
    public IReadOnlyList<(DateOnly Date, TimeOnly Cutoff)> DueCutoffs(int g, DateTimeOffset from, DateTimeOffset to)
    {
        var times = ScheduledTimes(Options.Groups[g]);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, TimeZoneInfo.Utc).DateTime);
        return Enumerable.Range(-2, 4).Select(today.AddDays)
            .SelectMany(d => times.Select(t => (Date: d, Cutoff: t, At: clock.InstantOf(d, t))))
            .Where(c => c.At > from && c.At <= to)
            .OrderBy(c => c.At)
            .Select(c => (c.Date, c.Cutoff))
            .ToList();
    }

    /// <summary>The times the timer addresses a group at.</summary>
    public IReadOnlyList<TimeOnly> ScheduledTimes(ReminderGroupOptions group)
    {
        if (!IsPrefecture(group))
        {
            return Options.TimesOf(group);
        }

        var own = string.IsNullOrWhiteSpace(group.Times) ? [] : Options.TimesOf(group);
        return own.Append(clock.Deadline).Distinct().Order().ToList();
    }

    private bool AddressedByOperator(ReminderGroupOptions group, TimeOnly cutoff) =>
        !IsPrefecture(group) || cutoff >= clock.Deadline || ScheduledTimes(group).Contains(cutoff);

    /// <summary>Composes and records one group's messages for a cutoff, unless it was recorded before; its number of parts (0: nothing missing).</summary>
    private async Task<(bool Created, int Parts)> ComposeAsync(int g, DateOnly date, TimeOnly cutoff, CancellationToken cancellationToken)
    {
        var group = Options.Groups[g];
        var scope = units.Find(group.Scope)!;
        var format = formats.Single(f => f.Kind == group.ParsedKind);
        var reading = await reader.ReadAsync(date, scope, cancellationToken);
        var missing = reading.Completeness.Missing;
        IReadOnlyList<ReminderPart> parts;
        if (missing.Count == 0)
        {
            parts = [];
        }
        else if (IsPrefecture(group))
        {
            var byCounty = units.Counties
                .Select(c => (c, (IReadOnlyList<MissingTownship>)missing.Where(m => m.CountyCode == c.Code)
                    .Select(m => new MissingTownship(m.Code, m.Name, m.CountyCode, null)).ToList()))
                .ToList();
            parts = composer.PrefectureEscalation(format, date, cutoff, clock.Deadline, scope, reading.Completeness.Expected, byCounty);
        }
        else
        {
            var phones = await contacts.PhonesAsync(missing.Select(m => m.Code).ToList(), cancellationToken);
            var townships = missing.Select(m => new MissingTownship(m.Code, m.Name, m.CountyCode, phones.GetValueOrDefault(m.Code))).ToList();
            parts = composer.CountyReminder(format, date, cutoff, clock.Deadline, scope, townships, FormUrl());
        }

        var recorded = await RecordAsync(g, group, new ReminderSubject(date, Hm(cutoff), scope.Code), format, parts, cancellationToken);
        if (recorded.Created)
        {
            LogComposed(date, Hm(cutoff), g, scope.Code, missing.Count, parts.Count);
        }

        return recorded;
    }

    /// <summary>Records parts for a group in the outbox (sent by the next dispatch); false when that subject was recorded before.</summary>
    internal Task<(bool Created, int Parts)> RecordAsync(int g, ReminderGroupOptions group, ReminderSubject subject, IRobotFormat format, IReadOnlyList<ReminderPart> parts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var messages = parts.Select(p => new OutboxMessage(
            subject.Date, subject.Cutoff, g, subject.Scope, format.Kind, p.Part, p.Parts, format.Body(subject, p),
            p.Missing.Select(m => new MissingRef(m.Code, m.Name)).ToList(),
            OutboxStatus.Pending, 0, now, now, null, null, null)).ToList();
        return outbox.RecordAsync(subject.Date, subject.Cutoff, g, messages, now, cancellationToken);
    }

    /// <summary>The prefecture groups, by index: where revision notices go.</summary>
    internal IEnumerable<(int Index, ReminderGroupOptions Group)> PrefectureGroups() =>
        Options.Groups.Select((group, i) => (i, group)).Where(x => IsPrefecture(x.group));

    internal IRobotFormat FormatOf(ReminderGroupOptions group) => formats.Single(f => f.Kind == group.ParsedKind);

    private bool IsPrefecture(ReminderGroupOptions group) => group.Scope == units.Root.Code;

    private string? FormUrl() =>
        Options.FormUrl is { Length: > 0 } url ? url
        : pipeline.Value.PublicBaseUrl is { Length: > 0 } baseUrl ? $"{baseUrl.TrimEnd('/')}/api/form"
        : Environment.GetEnvironmentVariable("WEBSITE_HOSTNAME") is { Length: > 0 } host ? $"https://{host}/api/form"
        : null;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    public static string Hm(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder {Date:yyyy-MM-dd} {Cutoff} group {Group} ({Scope}): {Missing} missing, {Parts} message(s) recorded")]
    private partial void LogComposed(DateOnly date, string cutoff, int group, string scope, int missing, int parts);
}
