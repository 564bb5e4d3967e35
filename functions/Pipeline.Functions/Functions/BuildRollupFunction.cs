using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Rollups;

namespace Pipeline.Functions.Functions;

/// <summary>Builds (or rebuilds) a day's rollup now: a new revision only when the inputs changed.</summary>
public sealed class BuildRollupFunction(ApiGateway gateway, RollupEndpoints endpoints, RollupService rollups, RollupIndex index)
{
    [Function("BuildRollup")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rollups/{date}")] HttpRequest request,
        string date) =>
        gateway.AuthorizedAsync(request, [Role.Admin], call => endpoints.ForDayAsync(call, date, async day =>
        {
            var built = await rollups.BuildAsync(day, call.CancellationToken);
            var latest = await index.GetAsync(day, call.CancellationToken);
            return ApiResult.Ok(RollupEndpoints.View(built.Manifest, latest!));
        }), ApiGateway.NoDeadline); // a build's storage work grows with the day's reports; each call keeps the clients' own timeouts
}
