using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Storage;

namespace Pipeline.Functions.Functions;

/// <summary>
/// The nightly rollup, on <c>Pipeline:RollupSchedule</c> (NCRONTAB in UTC, default 00:30 in Shanghai): builds
/// the previous reporting day, any day a past-due run missed, and the stale days within the correction window.
/// A run waits for the app's storage set-up first: a past-due run starts with the app, and a failed run waits a day.
/// </summary>
public sealed partial class BuildDailyRollupFunction(RollupScheduler scheduler, StorageInitializer storage, ILogger<BuildDailyRollupFunction> logger)
{
    [Function("BuildDailyRollup")]
    public async Task Run([TimerTrigger("%Pipeline:RollupSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        await storage.WhenReadyAsync("BuildDailyRollup", cancellationToken);
        var built = await scheduler.RunAsync(timer.IsPastDue, cancellationToken);
        LogDone(timer.IsPastDue, built.Count, built.Count(b => b.Result.Created));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Nightly rollup (past due: {IsPastDue}): {Days} day(s) looked at, {Created} new revision(s)")]
    private partial void LogDone(bool isPastDue, int days, int created);
}
