using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Officials;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Units;

namespace Pipeline.Functions.Functions;

/// <summary>
/// The console's board of a day (officials in scope, admin): counts per county, every township with status, receipt
/// and contact, missing first. Answers 304 to a matching If-None-Match, so a refresh that finds nothing new is small.
/// </summary>
public sealed class BoardFunction(RequestGuard guard, BoardReader boards, BoardViews views, UnitRegistry units, AccessPolicy access, ProblemFactory problems)
{
    [Function("Board")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "board/{date}")] HttpRequest request,
        string date) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            var scopeCode = request.Query["scope"].ToString() is { Length: > 0 } s ? s : call.Caller.Scope;
            if (!problems.TryRouteDate(date, call.Language, out var day, out var invalidDate))
            {
                return invalidDate;
            }

            if (units.Find(scopeCode) is not { Level: not UnitLevel.Township } scope)
            {
                return problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language);
            }

            if (!access.CanViewArea(call.Caller, scope.Code))
            {
                return problems.Create(StatusCodes.Status403Forbidden, "problem.forbidden", call.Language, "problem.forbidden.area", scope.Code);
            }

            var (body, etag) = views.Render(await boards.ReadAsync(day, scope, call.CancellationToken), call.Language);
            return new DownloadResult(body, "application/json; charset=utf-8", etag: etag);
        });
}
