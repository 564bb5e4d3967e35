using System.Collections.Concurrent;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// At most N sends a minute per robot (WeCom and DingTalk allow 20): a sliding window of the last N send times,
/// on the app's <see cref="TimeProvider"/> (Polly's rate limiter runs on the real clock, which no test can move).
/// It holds within one process; the timer is a singleton, so one process sends at a time.
/// </summary>
public sealed class RobotRateGate(TimeProvider time, int perMinute)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Robot> robots = new(StringComparer.Ordinal);

    /// <summary>Waits until <paramref name="robot"/> may be sent one more message, and counts it.</summary>
    public async Task WaitAsync(string robot, CancellationToken cancellationToken)
    {
        var state = robots.GetOrAdd(robot, _ => new Robot());
        await state.Turn.WaitAsync(cancellationToken);
        try
        {
            while (state.Sent.Count >= perMinute)
            {
                var free = state.Sent.Peek() + Window - time.GetUtcNow();
                if (free > TimeSpan.Zero)
                {
                    await Task.Delay(free, time, cancellationToken);
                }

                state.Sent.Dequeue();
            }

            state.Sent.Enqueue(time.GetUtcNow());
        }
        finally
        {
            state.Turn.Release();
        }
    }

    private sealed class Robot
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public Queue<DateTimeOffset> Sent { get; } = new();
    }
}
