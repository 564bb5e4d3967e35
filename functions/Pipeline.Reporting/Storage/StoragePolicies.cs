using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Pipeline.Reporting.Batches;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Every retry the app makes above the storage SDK's own (see <see cref="StorageClientFactory"/>), as named Polly
/// pipelines, so the bounds are in one place (README, "Retries"). Pauses are real waits: the pipelines run on the
/// system clock, whatever <see cref="TimeProvider"/> says "now" is.
/// </summary>
public static partial class StoragePolicies
{
    /// <summary>A write on an ETag that met another writer: read again and retry, up to <see cref="ConcurrencyRetries"/> times.</summary>
    public const string Concurrency = "storage-concurrency";

    /// <summary>Creating the tables, containers and queues at start-up: until storage answers, pausing 1 s, 2 s, ... up to 10 s.</summary>
    public const string Startup = "storage-startup";

    /// <summary>A batch run that storage stopped: run it again (it skips what is recorded), pausing 1, 2, 4, 8, then 10 s, for up to 175 s.</summary>
    public const string BatchOutage = "batch-outage";

    /// <summary>
    /// Another build holds the day's rollup lease: try to take it again every 200-600 ms, for up to
    /// <see cref="RollupLeaseWaitRetries"/> times (about 3 minutes: one build waits for the one before).
    /// </summary>
    public const string RollupLeaseWait = "rollup-lease-wait";

    public const int ConcurrencyRetries = 19;

    /// <summary>450 pauses of 400 ms on average (200-600 ms with jitter): about 3 minutes.</summary>
    public const int RollupLeaseWaitRetries = 450;

    /// <summary>1 + 2 + 4 + 8 + 16 x 10 = 175 s of pauses: within the 3 minutes a run may wait for storage.</summary>
    public const int BatchOutageRetries = 20;

    public static IServiceCollection AddStoragePolicies(this IServiceCollection services)
    {
        // Polly logs every execution attempt at Information; an attempt that did not fail is Debug here, so the log
        // shows the retries (Warnings), which are what an operator needs.
        services.Configure<TelemetryOptions>(options => options.SeverityProvider = args =>
            args.Event.EventName == "ExecutionAttempt" && args.Event.Severity == ResilienceEventSeverity.Information
                ? ResilienceEventSeverity.Debug
                : args.Event.Severity);
        services.AddResiliencePipeline(Concurrency, builder =>
        {
            builder.TimeProvider = TimeProvider.System;
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RequestFailedException>(OptimisticConcurrency.IsConflict),
                MaxRetryAttempts = ConcurrencyRetries,
                BackoffType = DelayBackoffType.Linear,
                Delay = TimeSpan.FromMilliseconds(10),
                MaxDelay = TimeSpan.FromMilliseconds(200),
                UseJitter = true,
            });
        });
        services.AddResiliencePipeline(Startup, (builder, context) =>
        {
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorageInitializer));
            builder.TimeProvider = TimeProvider.System;
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RequestFailedException>().Handle<HttpRequestException>().Handle<AggregateException>(),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Linear,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(10),
                OnRetry = args =>
                {
                    LogNotReady(logger, args.AttemptNumber + 1, args.Outcome.Exception?.Message ?? "");
                    return ValueTask.CompletedTask;
                },
            });
        });
        services.AddResiliencePipeline(BatchOutage, builder =>
        {
            builder.TimeProvider = TimeProvider.System;
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsBatchOutage),
                MaxRetryAttempts = BatchOutageRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(10),
            });
        });
        services.AddResiliencePipeline(RollupLeaseWait, builder =>
        {
            builder.TimeProvider = TimeProvider.System;
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RequestFailedException>(e => e.Status == 409),
                MaxRetryAttempts = RollupLeaseWaitRetries,
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.FromMilliseconds(400),
                UseJitter = true,
            });
        });
        return services;
    }

    /// <summary>
    /// A batch run stopped by storage: an outage, or rows that all failed for one or lost to other writers of their
    /// units (<see cref="StorageFaults.IsTransient"/>; one bug among them is not worth waiting for).
    /// </summary>
    public static bool IsBatchOutage(Exception e) =>
        e is BatchIncompleteException incomplete ? incomplete.InnerException is { } inner && StorageFaults.IsTransient(inner) : StorageFaults.IsTransient(e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage is not reachable yet (attempt {Attempt}): {Reason}")]
    private static partial void LogNotReady(ILogger logger, int attempt, string reason);
}
