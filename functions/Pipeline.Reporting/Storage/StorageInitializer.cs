using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly.Registry;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Creates the tables, containers and queues the app needs. It runs in the background and keeps
/// trying (<see cref="StoragePolicies.Startup"/>), so the app starts (and health answers 503) while storage is still coming up;
/// health answers 200 only once <see cref="Ready"/> has completed.
/// </summary>
public sealed partial class StorageInitializer(
    StorageTables tables, StorageClients clients, ResiliencePipelineProvider<string> pipelines, ILogger<StorageInitializer> logger) : BackgroundService
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => ready.Task;

    /// <summary>
    /// Waits for <see cref="Ready"/>. A timer run calls it first: the host starts a past-due run as soon as the app is up,
    /// while the tables may still be being made (an app's first start, or storage coming back), and a failed timer run
    /// is not retried until its next occurrence, a day later for the nightly rollup.
    /// </summary>
    public async Task WhenReadyAsync(string function, CancellationToken cancellationToken)
    {
        if (!Ready.IsCompleted)
        {
            LogWaiting(function);
        }

        await Ready.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await pipelines.GetPipeline(StoragePolicies.Startup).ExecuteAsync(async ct =>
        {
            foreach (var table in tables.All)
            {
                await table.CreateIfNotExistsAsync(ct);
            }

            await clients.Blobs.GetBlobContainerClient(Rollups.RollupStore.ContainerName).CreateIfNotExistsAsync(cancellationToken: ct);
            await clients.Queues.GetQueueClient(Batches.BatchStore.QueueName).CreateIfNotExistsAsync(cancellationToken: ct);
            await clients.Blobs.GetBlobContainerClient(Batches.BatchStore.PayloadContainer).CreateIfNotExistsAsync(cancellationToken: ct);
        }, stoppingToken);
        ready.TrySetResult();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Function} waits until the app's tables, containers and queues exist")]
    private partial void LogWaiting(string function);
}
