using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Pipeline.Reporting.Storage;

namespace Pipeline.LocalHost;

/// <summary>
/// Writes the queue output bindings of a function the way the host's queue extension does (QueueAsyncCollector): in the
/// configured message encoding, creating the queue when it does not exist, then notifying this host's listener of that
/// queue (<see cref="SharedQueueWatcher"/>). The host writes them after the function returned and its HTTP answer was
/// sent, so a failure here fails the invocation (logged) but does not change the answer.
/// </summary>
public sealed partial class QueueOutputWriter(IConfiguration configuration, QueueHostOptions options, SharedQueueWatcher watcher, ILogger<QueueOutputWriter> logger)
{
    private readonly ConcurrentDictionary<(string Connection, string Queue), QueueClient> queues = new();

    public async Task WriteAsync(string function, IReadOnlyList<QueueOutput> outputs, object output)
    {
        try
        {
            foreach (var binding in outputs)
            {
                if (binding.MessageIn(output) is { } message)
                {
                    await SendAsync(binding, message);
                    watcher.Notify(binding.QueueName);
                }
            }
        }
        catch (Exception e)
        {
            LogOutputFailed(function, e);
        }
    }

    private async Task SendAsync(QueueOutput binding, BinaryData message)
    {
        var queue = queues.GetOrAdd((binding.Connection, binding.QueueName), key =>
            StorageClientFactory.Create(configuration, key.Connection, q => q.MessageEncoding = options.MessageEncoding).Queues.GetQueueClient(key.Queue));
        try
        {
            await queue.SendMessageAsync(message);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            await queue.CreateIfNotExistsAsync();
            await queue.SendMessageAsync(message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Executed 'Functions.{Function}' (Failed): a queue output binding could not be written")]
    private partial void LogOutputFailed(string function, Exception exception);
}
