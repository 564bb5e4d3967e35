using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Timeout;
using Pipeline.Reporting.Time;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// Sends the outbox's due messages, each through the <c>reminders</c> resilience pipeline (Polly: retry on the
/// <see cref="ReminderRetrySchedule"/> within this run's budget, a time limit per attempt), at most
/// <see cref="ReminderOptions.PerRobotPerMinute"/> a minute per robot. Every attempt is written before its request
/// goes out; a message the budget leaves unsent stays pending with its next attempt time, for the next (every-minute)
/// timer run. So a retry or a second run never sends an accepted message again; only a crash between the service's
/// acceptance and the mark repeats that one message, once its claim runs out.
/// </summary>
public sealed partial class ReminderDispatcher(
    ReminderOutbox outbox,
    RobotClient robots,
    RobotRateGate gate,
    ResiliencePipelineProvider<string> pipelines,
    IOptions<ReminderOptions> options,
    ReportingClock clock,
    TimeProvider time,
    ILogger<ReminderDispatcher> logger)
{
    public const string PipelineName = "reminders";

    internal static readonly ResiliencePropertyKey<SendState> StateKey = new("reminders.state");

    private ReminderRetrySchedule Schedule => ReminderRetrySchedule.From(options.Value);

    /// <summary>The days whose messages may still be pending: the correction window and the day before it.</summary>
    public IReadOnlyList<DateOnly> OpenDays() =>
        Enumerable.Range(0, clock.CorrectionWindowDays + 2).Select(d => clock.Today.AddDays(-d)).ToList();

    /// <summary>Sends what is due, and waits for retries falling due, until <paramref name="budget"/> has passed; the number this call got accepted.</summary>
    public async Task<int> DispatchAsync(IReadOnlyList<DateOnly> days, Func<OutboxMessage, bool> include, TimeSpan budget, CancellationToken cancellationToken)
    {
        var end = time.GetUtcNow() + budget;
        var accepted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var pending = (await outbox.PendingAsync(days, cancellationToken)).Where(include).ToList();
            var now = time.GetUtcNow();
            var due = pending.Where(m => m.IsDue(now)).ToList();
            if (due.Count > 0)
            {
                // Robots side by side, one robot's messages in order (parts of a list arrive in sequence).
                await Task.WhenAll(due.GroupBy(m => m.Group).Select(async g =>
                {
                    foreach (var message in g.OrderBy(m => m.Cutoff, StringComparer.Ordinal).ThenBy(m => m.Part))
                    {
                        if (await SendAsync(message, end, cancellationToken))
                        {
                            Interlocked.Increment(ref accepted);
                        }
                    }
                }));
                continue;
            }

            var next = pending.Select(m => m.ClaimedUntil > m.NextAttemptAt ? m.ClaimedUntil.Value : m.NextAttemptAt).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            if (next > end)
            {
                return accepted;
            }

            await Task.Delay(next - now, time, cancellationToken);
        }

        return accepted;
    }

    /// <summary>Sends one message (with the run's retries); true when the service accepted it.</summary>
    private async Task<bool> SendAsync(OutboxMessage message, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var groups = options.Value.Groups;
        if (message.Group >= groups.Count || groups[message.Group].Scope != message.Scope)
        {
            // The group was removed or renumbered in the settings: nowhere to send it.
            await outbox.MarkAttemptFailedAsync(message, message.NextAttemptAt, givenUp: true, "group no longer configured", cancellationToken);
            return false;
        }

        var group = groups[message.Group];
        var state = new SendState(message, group, end);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StateKey, state);
        RobotAnswer answer;
        try
        {
            answer = await pipelines.GetPipeline<RobotAnswer>(PipelineName).ExecuteAsync(
                static async (ctx, self) => await self.AttemptAsync(ctx.Properties.GetValue(StateKey, null!), ctx.CancellationToken), context, this);
        }
        catch (Exception e) when (e is TimeoutRejectedException or HttpRequestException)
        {
            answer = new RobotAnswer(false, e is TimeoutRejectedException ? "timeout" : "network");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (answer.Lost)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (answer.Accepted)
        {
            // Not cancelled with the run (the host stopping, the operator's request gone): the group has the message
            // now, and one left pending would be sent to it again once its claim runs out.
            await outbox.MarkSentAsync(state.Message, now, CancellationToken.None);
            LogSent(message.Date, message.Cutoff, message.Group, message.Part, state.Message.Attempts);
            return true;
        }

        await RecordFailureAsync(state, answer.Error ?? "failed", now, cancellationToken);
        return false;
    }

    /// <summary>One attempt: wait for the robot's rate, claim and count the attempt, post.</summary>
    private async Task<RobotAnswer> AttemptAsync(SendState state, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(state.Group.Url!, cancellationToken);
        var claimed = await outbox.BeginAttemptAsync(state.Message, time.GetUtcNow() + options.Value.AttemptTimeout + TimeSpan.FromSeconds(30), cancellationToken);
        if (claimed is null)
        {
            return RobotAnswer.TakenByAnother;
        }

        state.Message = claimed;
        return await robots.PostAsync(state.Group, claimed.Body, cancellationToken);
    }

    /// <summary>Polly's retry predicate: a failed attempt is tried again in this run as the schedule says (<see cref="ReminderRetrySchedule.RetriesInRun"/>).</summary>
    internal bool RetryInThisRun(SendState state)
    {
        var now = time.GetUtcNow();
        return !Schedule.GivesUp(state.Message.RecordedAt, now) && Schedule.RetriesInRun(now, state.Message.Attempts, state.End);
    }

    internal TimeSpan DelayAfter(SendState state) => Schedule.DelayAfter(state.Message.Attempts);

    /// <summary>Polly's on-retry: the failed attempt written down, with when the next is due (a crash meanwhile loses nothing).</summary>
    internal async ValueTask RecordRetryAsync(SendState state, string error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var updated = await outbox.MarkAttemptFailedAsync(state.Message, now + DelayAfter(state), givenUp: false, error, cancellationToken);
        state.Message = updated ?? state.Message;
        LogRetry(state.Message.Date, state.Message.Cutoff, state.Message.Group, state.Message.Part, state.Message.Attempts, error);
    }

    private async Task RecordFailureAsync(SendState state, string error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var message = state.Message;
        var givenUp = Schedule.GivesUp(message.RecordedAt, now);
        await outbox.MarkAttemptFailedAsync(message, now + Schedule.DelayAfter(message.Attempts), givenUp, error, cancellationToken);
        if (givenUp)
        {
            LogGivenUp(message.Date, message.Cutoff, message.Group, message.Part, message.Attempts, error);
        }
        else
        {
            LogRetry(message.Date, message.Cutoff, message.Group, message.Part, message.Attempts, error);
        }
    }

    /// <summary>One message being sent: the row as last written, its group's settings, the run's end.</summary>
    internal sealed class SendState(OutboxMessage message, ReminderGroupOptions group, DateTimeOffset end)
    {
        public OutboxMessage Message { get; set; } = message;

        public ReminderGroupOptions Group { get; } = group;

        public DateTimeOffset End { get; } = end;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder {Date:yyyy-MM-dd} {Cutoff} group {Group} part {Part}: sent (attempt {Attempts})")]
    private partial void LogSent(DateOnly date, string cutoff, int group, int part, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {Date:yyyy-MM-dd} {Cutoff} group {Group} part {Part}: attempt {Attempts} failed ({Error}); will retry")]
    private partial void LogRetry(DateOnly date, string cutoff, int group, int part, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reminder {Date:yyyy-MM-dd} {Cutoff} group {Group} part {Part}: given up after {Attempts} attempts ({Error})")]
    private partial void LogGivenUp(DateOnly date, string cutoff, int group, int part, int attempts, string error);
}
