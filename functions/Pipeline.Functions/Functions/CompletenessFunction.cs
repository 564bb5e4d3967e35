using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Officials;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Functions.Functions;

/// <summary>Who has reported for a day so far, live from the reports: officials within their scope, admin anywhere.</summary>
public sealed class CompletenessFunction(
    RequestGuard guard, DayReader reader, ExemptionStore exemptions, UnitRegistry units, AccessPolicy access, ProblemFactory problems)
{
    [Function("Completeness")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "completeness/{date}")] HttpRequest request,
        string date) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            var scopeCode = request.Query["scope"].ToString() is { Length: > 0 } s ? s : call.Caller.Scope;
            if (!problems.TryRouteDate(date, call.Language, out var day, out var invalidDate))
            {
                return invalidDate;
            }

            if (units.Find(scopeCode) is not { } scope)
            {
                return problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language);
            }

            if (!access.CanViewArea(call.Caller, scope.Code))
            {
                return problems.Create(StatusCodes.Status403Forbidden, "problem.forbidden", call.Language, "problem.forbidden.area", scope.Code);
            }

            var c = (await reader.ReadAsync(day, scope, call.CancellationToken)).Completeness;
            // Section 7: a township exempt for the day (and silent) is not expected, and the answer says how many were.
            var exempt = (await exemptions.WithinAsync(scope, day, day, call.CancellationToken)).Select(e => e.UnitCode).ToHashSet(StringComparer.Ordinal);
            var missing = c.Missing.Where(m => !exempt.Contains(m.Code)).ToList();
            var excused = c.Missing.Count - missing.Count;
            return ApiResult.Ok(new CompletenessView(ReportDate.Iso(day), scope.Code, scope.Name(call.Language),
                c.Expected - excused, c.Reported, c.OnTime, c.Late, missing, excused));
        });
}
