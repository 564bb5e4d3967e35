using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Creates the tables, containers and queues the app needs. It runs in the background and keeps
/// trying, so the app starts (and health answers 503) while storage is still coming up; health answers 200
/// only once <see cref="Ready"/> has completed.
/// </summary>
public sealed partial class StorageInitializer(StorageTables tables, StorageClients clients, ILogger<StorageInitializer> logger) : BackgroundService
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                foreach (var table in tables.All)
                {
                    await table.CreateIfNotExistsAsync(stoppingToken);
                }

                await clients.Blobs.GetBlobContainerClient(Rollups.RollupStore.ContainerName).CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                await clients.Queues.GetQueueClient(Batches.BatchStore.QueueName).CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                await clients.Blobs.GetBlobContainerClient(Batches.BatchStore.PayloadContainer).CreateIfNotExistsAsync(cancellationToken: stoppingToken);

                ready.TrySetResult();
                return;
            }
            catch (Exception e) when (StorageFaults.IsOutage(e) && !stoppingToken.IsCancellationRequested)
            {
                LogNotReady(attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage is not reachable yet (attempt {Attempt}): {Reason}")]
    private partial void LogNotReady(int attempt, string reason);
}
