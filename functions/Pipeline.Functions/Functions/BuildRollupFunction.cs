using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Units;

namespace Pipeline.Functions.Functions;

/// <summary>
/// Builds (or rebuilds) a day's rollups now, the prefecture's and every county's (a new revision only where the inputs
/// changed): admin and prefecture officials. Answers the manifest of <c>?scope=</c> (default: the prefecture).
/// </summary>
public sealed class BuildRollupFunction(
    RequestGuard guard, RollupEndpoints endpoints, RollupService rollups, UnitRegistry units, ProblemFactory problems)
{
    [Function("BuildRollup")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rollups/{date}")] HttpRequest request,
        string date) =>
        guard.AuthorizedAsync(this, request, call => call.Caller.Role == Role.Official && call.Caller.Scope != units.Root.Code
            ? Task.FromResult<IActionResult>(problems.Create(
                StatusCodes.Status403Forbidden, "problem.forbidden", call.Language, "problem.forbidden.area", units.Root.NameZh))
            : endpoints.ForDayAsync(call, date, async (day, scope) =>
            {
                // The area's row as the build wrote it: whether a report came since is GET's to say (a query per county).
                var area = (await rollups.BuildAsync(day, call.CancellationToken)).For(scope.Code)!;
                return ApiResult.Ok(endpoints.View(area.Manifest, area.Entry));
            }), RequestGuard.NoDeadline); // a build's storage work grows with the day's reports; each call keeps the clients' own timeouts
}
