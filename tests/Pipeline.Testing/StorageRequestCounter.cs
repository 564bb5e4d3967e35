using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;

namespace Pipeline.Testing;

/// <summary>
/// A policy on the app's storage clients that notes every request sent to the storage service on <see cref="Port"/>
/// (the table service's, or the blob service's; the queue listener's polling goes to another port and is not counted).
/// </summary>
public sealed class StorageRequestCounter(int port) : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<string> requests = new();
    private readonly ConcurrentQueue<int> transactionEntities = new();

    public int Port { get; } = port;

    /// <summary>The host's storage clients with this counter on every request.</summary>
    public Action<WebApplicationBuilder> Install => StorageFaultPolicy.InstallOnStorage(this);

    /// <summary>The requests since the last call, as "METHOD path", in the order sent; the list starts afresh.</summary>
    public IReadOnlyList<string> Take()
    {
        var taken = new List<string>();
        while (requests.TryDequeue(out var request))
        {
            taken.Add(request);
        }

        return taken;
    }

    /// <summary>The number of entities of each entity-group transaction since the last call, in the order sent; the list starts afresh.</summary>
    public IReadOnlyList<int> TakeTransactionEntities()
    {
        var taken = new List<int>();
        while (transactionEntities.TryDequeue(out var entities))
        {
            taken.Add(entities);
        }

        return taken;
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Note(message);
        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Note(message);
        ProcessNext(message, pipeline);
    }

    private void Note(HttpMessage message)
    {
        var uri = message.Request.Uri;
        if (uri.Port == Port)
        {
            requests.Enqueue($"{message.Request.Method} /{Uri.UnescapeDataString(uri.Path).TrimStart('/')}");
            if (StorageRequest.Of(message) is { IsTransaction: true } transaction)
            {
                transactionEntities.Enqueue(transaction.Entities);
            }
        }
    }
}
