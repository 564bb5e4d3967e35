using Microsoft.Extensions.Hosting;
using Polly.Registry;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Creates the tables, containers and queues the app needs. It runs in the background and keeps
/// trying (<see cref="StoragePolicies.Startup"/>), so the app starts (and health answers 503) while storage is still coming up;
/// health answers 200 only once <see cref="Ready"/> has completed.
/// </summary>
public sealed class StorageInitializer(StorageTables tables, StorageClients clients, ResiliencePipelineProvider<string> pipelines) : BackgroundService
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => ready.Task;

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
}
