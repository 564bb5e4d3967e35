using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Storage;

namespace Pipeline.Functions.Functions;

/// <summary>
/// 200 only once storage answers and the app's tables, containers and queues exist (<see cref="StorageInitializer"/>):
/// a client that waits for 200 (./run.sh, a deployment check) can then write at once.
/// </summary>
public sealed class HealthFunction(StorageClients storage, StorageInitializer initializer)
{
    [Function("Health")]
    [Anonymous]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await storage.Tables.GetPropertiesAsync(timeout.Token);
            if (!initializer.Ready.IsCompletedSuccessfully)
            {
                return new ApiResult(StatusCodes.Status503ServiceUnavailable, new HealthView("starting", "initialising"))
                    .WithHeader("Retry-After", "1");
            }

            return ApiResult.Ok(new HealthView("ok", "ok"));
        }
        catch (Exception e) when (StorageFaults.IsOutage(e))
        {
            return new ApiResult(StatusCodes.Status503ServiceUnavailable, new HealthView("unavailable", "unreachable"))
                .WithHeader("Retry-After", "5");
        }
    }

    public sealed record HealthView(string Status, string Storage);
}
