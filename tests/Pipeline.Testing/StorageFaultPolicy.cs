using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Storage;

namespace Pipeline.Testing;

/// <summary>
/// A policy on the app's storage clients (the seam <see cref="StorageClientFactory.Create"/> offers): a test can refuse
/// chosen requests as storage would (<see cref="Refuse"/>), do something just before one is sent (<see cref="BeforeSend"/>)
/// or just after storage answered it (<see cref="AfterAnswer"/>), or lose the answer to one that storage carried out
/// (<see cref="LoseAnswer"/>).
/// </summary>
public sealed class StorageFaultPolicy : HttpPipelinePolicy
{
    /// <summary>
    /// Requests to refuse with <see cref="RefuseStatus"/>: by default a 400, as storage refuses an entity it cannot store;
    /// 409 or 412 as it refuses a write that another writer beat.
    /// </summary>
    public Func<StorageRequest, bool>? Refuse { get; set; }

    public int RefuseStatus { get; set; } = 400;

    public Func<StorageRequest, Task>? BeforeSend { get; set; }

    /// <summary>Runs once storage has answered a request, before the app sees the answer (and before <see cref="LoseAnswer"/>).</summary>
    public Func<StorageRequest, Task>? AfterAnswer { get; set; }

    /// <summary>Requests that reach storage and are carried out, but whose answer is lost (the connection drops): the caller sees a network error.</summary>
    public Func<StorageRequest, bool>? LoseAnswer { get; set; }

    /// <summary>The host's storage clients with this policy on every request.</summary>
    public Action<WebApplicationBuilder> Install => InstallOnStorage(this);

    /// <summary>The host's storage clients with <paramref name="policy"/> on every request.</summary>
    public static Action<WebApplicationBuilder> InstallOnStorage(HttpPipelinePolicy policy) => builder => builder.Services.AddSingleton(sp =>
        StorageClientFactory.Create(sp.GetRequiredService<IConfiguration>(), policy: policy));

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var request = StorageRequest.Of(message);
        if (BeforeSend is { } before)
        {
            await before(request);
        }

        if (Refuse?.Invoke(request) == true)
        {
            var code = RefuseStatus switch
            {
                400 => "InvalidInput",
                409 => "EntityAlreadyExists",
                412 => "UpdateConditionNotSatisfied",
                _ => "ServerBusy",
            };
            throw new RequestFailedException(RefuseStatus, "Injected by the test: storage refused the request.", code, null);
        }

        await ProcessNextAsync(message, pipeline);
        if (AfterAnswer is { } after)
        {
            await after(request);
        }

        if (LoseAnswer?.Invoke(request) == true)
        {
            throw new HttpRequestException("Injected by the test: the connection dropped before storage answered.");
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
}
