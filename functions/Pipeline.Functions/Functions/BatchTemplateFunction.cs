using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;

namespace Pipeline.Functions.Functions;

/// <summary>The batch CSV for a scope and day, one row per township, to fill in and upload: officials within their scope, admin anywhere.</summary>
public sealed class BatchTemplateFunction(
    RequestGuard guard, BatchTemplate template, UnitRegistry units, AccessPolicy access, ReportingClock clock, ProblemFactory problems)
{
    [Function("BatchTemplate")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "templates/batch.csv")] HttpRequest request) =>
        guard.AuthorizedAsync(request, [Role.Official, Role.Admin], call =>
        {
            var scopeCode = request.Query["scope"].ToString() is { Length: > 0 } s ? s : call.Caller.Scope;
            var date = request.Query["date"].ToString() is { Length: > 0 } d ? d : RollupDates.Iso(clock.Today);
            if (units.Find(scopeCode) is not { } scope || !RollupDates.TryParse(date, out var day))
            {
                return Task.FromResult<IActionResult>(problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language));
            }

            if (!access.CanViewArea(call.Caller, scope.Code))
            {
                return Task.FromResult<IActionResult>(problems.Create(StatusCodes.Status403Forbidden, "problem.forbidden", call.Language, "problem.forbidden.area", scope.Code));
            }

            IActionResult file = new DownloadResult(template.Render(scope, day, call.Language), "text/csv; charset=utf-8", BatchTemplate.FileName(scope.Code, day));
            return Task.FromResult(file);
        });
}
