using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;

namespace Pipeline.Functions.Functions;

/// <summary>The latest manifest of every built day of <c>?scope=</c> (default: the caller's area) in [from, to] (default: the last 31 days), oldest first.</summary>
public sealed class ListRollupsFunction(RequestGuard guard, RollupEndpoints endpoints, RollupIndex index, ReportingClock clock, ProblemFactory problems)
{
    [Function("ListRollups")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rollups")] HttpRequest request) =>
        guard.AuthorizedAsync(this, request, call => endpoints.ForScopeAsync(call, async scope =>
        {
            // The default range is the 31 days up to `to` (today unless given), so `?to=` alone is a month back from it.
            var to = clock.Today;
            if (request.Query.ContainsKey("to") && !ReportDate.TryParse(request.Query["to"], out to))
            {
                return problems.Create(StatusCodes.Status400BadRequest, "problem.badRequest", call.Language, "problem.badRange");
            }

            var from = to.AddDays(-30);
            if ((request.Query.ContainsKey("from") && !ReportDate.TryParse(request.Query["from"], out from))
                || from > to || to.DayNumber - from.DayNumber > 366)
            {
                return problems.Create(StatusCodes.Status400BadRequest, "problem.badRequest", call.Language, "problem.badRange");
            }

            var views = new List<RollupManifestView>();
            await foreach (var entry in index.ListAsync(from, to, scope.Code, call.CancellationToken))
            {
                views.Add(endpoints.View(entry.Manifest, entry));
            }

            return ApiResult.Ok(views);
        }));
}
