using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;

namespace Pipeline.LocalHost;

/// <summary>
/// host.json <c>extensions.queues</c> with the Functions host's defaults (see ../shared/spec/functions-host-semantics.md),
/// overridable like the real host by app settings <c>AzureFunctionsJobHost__extensions__queues__&lt;name&gt;</c>.
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
            // The host's code: batchSize / 2 per processor (its docs say 8).
            Setting("newBatchThreshold") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : batchSize / 2 * Environment.ProcessorCount,
            // 1 minute in the host, 2 seconds when it runs in Development and nothing is set: the local host is a development host.
            Setting("maxPollingInterval") is { } p ? TimeSpan.Parse(p, CultureInfo.InvariantCulture) : TimeSpan.FromSeconds(2),
            Setting("visibilityTimeout") is { } v ? TimeSpan.Parse(v, CultureInfo.InvariantCulture) : TimeSpan.Zero,
            encoding.Equals("none", StringComparison.OrdinalIgnoreCase) ? QueueMessageEncoding.None
            : encoding.Equals("base64", StringComparison.OrdinalIgnoreCase) ? QueueMessageEncoding.Base64
            : throw new InvalidOperationException($"host.json extensions.queues.messageEncoding must be base64 or none; it is {encoding}."));
    }
}
