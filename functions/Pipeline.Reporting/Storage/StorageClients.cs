using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Pipeline.Reporting.Storage;

/// <summary>The app's three storage clients, made by <see cref="StorageClientFactory"/> from configuration.</summary>
public sealed record StorageClients(
    TableServiceClient Tables,
    BlobServiceClient Blobs,
    QueueServiceClient Queues,
    bool UsesManagedIdentity)
{
    /// <summary>
    /// The table service as <see cref="Tables"/>, its reads asked for entities without OData metadata
    /// (<see cref="NoMetadataPolicy"/>): for the rollup's read of a day's rows only. Made by the factory; the same client as
    /// <see cref="Tables"/> where clients are made by hand (both read back the same values through the mapper).
    /// </summary>
    public TableServiceClient TablesWithoutMetadata { get; init; } = Tables;
}
