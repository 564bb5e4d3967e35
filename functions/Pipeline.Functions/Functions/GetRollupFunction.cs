using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;

namespace Pipeline.Functions.Functions;

/// <summary>A day's latest rollup manifest of <c>?scope=</c> (default: the caller's own area), or <c>?revision=N</c>.</summary>
public sealed class GetRollupFunction(RequestGuard guard, RollupEndpoints endpoints)
{
    [Function("GetRollup")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rollups/{date}")] HttpRequest request,
        string date) =>
        guard.AuthorizedAsync(this, request, call => endpoints.ForDayAsync(call, date, async (day, scope) =>
        {
            var (view, problem) = await endpoints.FindAsync(call, day, scope);
            return view is null ? problem! : ApiResult.Ok(view);
        }));
}
