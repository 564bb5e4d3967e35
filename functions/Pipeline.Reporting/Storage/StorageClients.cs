using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Pipeline.Reporting.Storage;

/// <summary>The app's three storage clients, made by <see cref="StorageClientFactory"/> from configuration.</summary>
public sealed record StorageClients(
    TableServiceClient Tables,
    BlobServiceClient Blobs,
    QueueServiceClient Queues,
    bool UsesManagedIdentity);
