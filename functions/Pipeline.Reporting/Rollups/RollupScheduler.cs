using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Time;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// What the nightly timer builds: every day from the day after the newest built one up to yesterday (the
/// previous reporting day; a past-due run thus catches up the days it missed, at most
/// <see cref="MaxCatchUpDays"/>), then every stale day within the correction window, oldest first, until none is left.
/// </summary>
public sealed partial class RollupScheduler(
    RollupService rollups, RollupIndex index, RollupBuilder builder, ReportingClock clock, ILogger<RollupScheduler> logger)
{
    public const int MaxCatchUpDays = 31;

    public async Task<IReadOnlyList<(DateOnly Date, RollupBuildResult Result)>> RunAsync(bool isPastDue, CancellationToken cancellationToken)
    {
        var yesterday = clock.Today.AddDays(-1);
        var latest = await index.LatestBuiltAsync(yesterday, MaxCatchUpDays, cancellationToken);
        var due = new SortedSet<DateOnly>();
        for (var day = latest?.AddDays(1) ?? yesterday; day <= yesterday; day = day.AddDays(1))
        {
            due.Add(day);
        }

        LogRun(isPastDue, due.Count);
        var built = new List<(DateOnly, RollupBuildResult)>();
        var failures = new List<Exception>();
        for (var pass = 0; pass < 10; pass++)
        {
            // A day is due when any of its areas is stale (a build makes them all).
            foreach (var scope in builder.Scopes)
            {
                await foreach (var entry in index.ListAsync(clock.EarliestAcceptedDate, clock.Today, scope.Code, cancellationToken))
                {
                    if (entry.Stale)
                    {
                        due.Add(entry.Date);
                    }
                }
            }

            if (due.Count == 0)
            {
                break;
            }

            foreach (var day in due)
            {
                try
                {
                    built.Add((day, await rollups.BuildAsync(day, cancellationToken)));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One bad day must not keep the others from being built; the failure is reported at the end.
                    failures.Add(e);
                    LogFailed(day, e);
                }
            }

            due.Clear();
            if (failures.Count > 0)
            {
                break;
            }
        }

        return failures.Count > 0 ? throw new AggregateException("Some rollups were not built.", failures) : built;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled rollup run (past due: {IsPastDue}): {Count} day(s) due before stale days")]
    private partial void LogRun(bool isPastDue, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The rollup of {Date:yyyy-MM-dd} failed")]
    private partial void LogFailed(DateOnly date, Exception exception);
}
