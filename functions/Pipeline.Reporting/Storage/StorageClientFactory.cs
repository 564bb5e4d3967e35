using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// One code path for Azure and Azurite, chosen by configuration, in the Functions host's own convention:
/// <c>PipelineStorage</c> as a connection string (Azurite, local), or <c>PipelineStorage__accountName</c>
/// (or <c>__tableServiceUri</c>, <c>__blobServiceUri</c>, <c>__queueServiceUri</c>) with a managed identity.
/// </summary>
public static class StorageClientFactory
{
    public const string ConnectionName = "PipelineStorage";

    /// <param name="configureQueues">Changes to the queue client options (the local host's queue runner sets the encoding from host.json).</param>
    /// <param name="policy">A policy every request of the three clients passes (tests use it to inject storage faults).</param>
    public static StorageClients Create(
        IConfiguration configuration, string connectionName = ConnectionName, Action<QueueClientOptions>? configureQueues = null, HttpPipelinePolicy? policy = null)
    {
        var tableOptions = new TableClientOptions();
        // Its policies before the caller's, so that a test's policy sees the request as it is sent.
        var bareTableOptions = RollupReadOptions();
        var blobOptions = new BlobClientOptions();
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        configureQueues?.Invoke(queueOptions);
        foreach (ClientOptions options in new ClientOptions[] { tableOptions, bareTableOptions, blobOptions, queueOptions })
        {
            // A storage outage should reach the caller as a 503 within seconds, not after minutes of retries.
            options.Retry.MaxRetries = 2;
            options.Retry.Delay = TimeSpan.FromMilliseconds(200);
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
            if (policy is not null)
            {
                options.AddPolicy(policy, HttpPipelinePosition.PerCall);
            }
        }

        var connectionString = configuration[connectionName];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageClients(
                new TableServiceClient(connectionString, tableOptions),
                new BlobServiceClient(connectionString, blobOptions),
                new QueueServiceClient(connectionString, queueOptions),
                UsesManagedIdentity: false) { TablesWithoutMetadata = new TableServiceClient(connectionString, bareTableOptions) };
        }

        var section = configuration.GetSection(connectionName);
        var accountName = section["accountName"];
        Uri ServiceUri(string setting, string service) =>
            section[setting] is { Length: > 0 } uri ? new Uri(uri)
            : accountName is { Length: > 0 } ? new Uri($"https://{accountName}.{service}.core.windows.net")
            : throw new InvalidOperationException(
                $"Storage is not configured: set {connectionName} (a connection string) or {connectionName}__accountName.");

        var credential = CreateCredential(section["clientId"]);
        var tableUri = ServiceUri("tableServiceUri", "table");
        return new StorageClients(
            new TableServiceClient(tableUri, credential, tableOptions),
            new BlobServiceClient(ServiceUri("blobServiceUri", "blob"), credential, blobOptions),
            new QueueServiceClient(ServiceUri("queueServiceUri", "queue"), credential, queueOptions),
            UsesManagedIdentity: true) { TablesWithoutMetadata = new TableServiceClient(tableUri, credential, bareTableOptions) };
    }

    /// <summary>
    /// The options of <see cref="StorageClients.TablesWithoutMetadata"/>, the client of the rollup's read of a day's rows:
    /// entities without metadata (<see cref="NoMetadataPolicy"/>), responses parsed as they come (<see cref="UnbufferedResponsePolicy"/>).
    /// </summary>
    public static TableClientOptions RollupReadOptions()
    {
        var options = new TableClientOptions();
        options.AddPolicy(new NoMetadataPolicy(), HttpPipelinePosition.PerCall);
        options.AddPolicy(new UnbufferedResponsePolicy(), HttpPipelinePosition.PerCall);
        return options;
    }

    private static TokenCredential CreateCredential(string? clientId) =>
        string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
}
