using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;

namespace Pipeline.LocalHost;

/// <summary>
/// host.json <c>extensions.queues</c> with the Functions host's defaults, overridable like the real host by app settings
/// <c>AzureFunctionsJobHost__extensions__queues__&lt;name&gt;</c>. Source of the defaults: QueuesOptions and
/// QueueListenerFactory in Azure/azure-sdk-for-net sdk/storage/Microsoft.Azure.WebJobs.Extensions.Storage.Common and
/// .Storage.Queues (see tools/Pipeline.LocalHost/README.md).
/// </summary>
public sealed record QueueHostOptions(
    int MaxDequeueCount,
    int BatchSize,
    int NewBatchThreshold,
    TimeSpan MaxPollingInterval,
    TimeSpan VisibilityTimeout,
    QueueMessageEncoding MessageEncoding)
{
    /// <summary>How long a received message stays invisible; renewed at half of it while the function runs.</summary>
    public TimeSpan ReceiveVisibility { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The real host's default when host.json sets none: 1 minute (QueuesOptions.MaxPollingInterval). The host uses
    /// 2 s only when its environment is Development, which an Azure deployment never is, so the local host takes the
    /// value Azure runs with: a host.json without the setting then shows here the minute-long wait it has in Azure.
    /// </summary>
    public static readonly TimeSpan DefaultMaxPollingInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The real host's default: batchSize / 2 per processor (QueuesOptions.NewBatchThreshold when unset; its docs say 8).
    /// So with batchSize 16 on 2 cores it fetches again while up to 16 run: up to 32 messages at once per instance.
    /// </summary>
    public static int DefaultNewBatchThreshold(int batchSize, int processorCount) => batchSize / 2 * processorCount;

    public static QueueHostOptions Load(string hostJsonPath, IConfiguration configuration)
    {
        var fromFile = File.Exists(hostJsonPath)
            ? JsonNode.Parse(File.ReadAllText(hostJsonPath), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })?["extensions"]?["queues"]
            : null;
        var overrides = configuration.GetSection("AzureFunctionsJobHost:extensions:queues");
        string? Setting(string name) => overrides[name] ?? fromFile?[name]?.ToString();

        var batchSize = Setting("batchSize") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : 16;
        if (batchSize is < 1 or > 32)
        {
            throw new InvalidOperationException($"host.json extensions.queues.batchSize must be between 1 and 32; it is {batchSize}.");
        }

        var encoding = Setting("messageEncoding") ?? "base64";
        return new QueueHostOptions(
            Setting("maxDequeueCount") is { } m ? int.Parse(m, CultureInfo.InvariantCulture) : 5,
            batchSize,
            Setting("newBatchThreshold") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : DefaultNewBatchThreshold(batchSize, Environment.ProcessorCount),
            Setting("maxPollingInterval") is { } p ? TimeSpan.Parse(p, CultureInfo.InvariantCulture) : DefaultMaxPollingInterval,
            Setting("visibilityTimeout") is { } v ? TimeSpan.Parse(v, CultureInfo.InvariantCulture) : TimeSpan.Zero,
            encoding.Equals("none", StringComparison.OrdinalIgnoreCase) ? QueueMessageEncoding.None
            : encoding.Equals("base64", StringComparison.OrdinalIgnoreCase) ? QueueMessageEncoding.Base64
            : throw new InvalidOperationException($"host.json extensions.queues.messageEncoding must be base64 or none; it is {encoding}."));
    }
}
