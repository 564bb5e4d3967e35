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
    RequestGuard guard, RollupEndpoints endpoints, RollupService rollups, RollupIndex index, UnitRegistry units, ProblemFactory problems)
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
                var built = await rollups.BuildAsync(day, call.CancellationToken);
                var latest = await index.GetAsync(day, scope.Code, call.CancellationToken);
                return ApiResult.Ok(endpoints.View(built.For(scope.Code)!.Manifest, latest!));
            }), RequestGuard.NoDeadline); // a build's storage work grows with the day's reports; each call keeps the clients' own timeouts
}
