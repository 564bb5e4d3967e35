using System.Collections.Concurrent;

namespace Pipeline.LocalHost;

/// <summary>
/// The Functions host's <c>SharedQueueWatcher</c>: one per host, where every queue listener registers its queue, and
/// which a queue output binding notifies after it has added a message, so that this host's listener of that queue
/// polls at once instead of waiting out its back-off. Only this host's own output bindings notify: a message another
/// client (or another instance) adds waits for the poll, as in Azure. Source: QueuesExtensionConfigProvider
/// (QueueAsyncCollector.AddAsync), SharedQueueWatcher and QueueListener.Notify in Azure/azure-sdk-for-net
/// sdk/storage/Microsoft.Azure.WebJobs.Extensions.Storage.Queues and .Storage.Common.
/// </summary>
public sealed class SharedQueueWatcher
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<Action>> registrations = new(StringComparer.Ordinal);

    public void Register(string queueName, Action notify) =>
        registrations.GetOrAdd(queueName, _ => []).Add(notify);

    public void Notify(string queueName)
    {
        if (registrations.TryGetValue(queueName, out var listeners))
        {
            foreach (var notify in listeners)
            {
                notify();
            }
        }
    }
}
