using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Validation;

namespace Pipeline.Functions.Functions;

/// <summary>The log of direct rollup download links issued for a day (<c>?date=</c>, default today), newest first: admin only.</summary>
public sealed class ListRollupLinksFunction(RequestGuard guard, RollupLinks links, ReportingClock clock, ProblemFactory problems)
{
    [Function("ListRollupLinks")]
    [Roles(Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rollups/links")] HttpRequest request) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            var day = clock.Today;
            if (request.Query.ContainsKey("date") && !ReportDate.TryParse(request.Query["date"], out day))
            {
                return problems.Validation([new FieldError("date", "rollup.dateInvalid", [request.Query["date"].ToString()])], call.Language);
            }

            var issued = new List<RollupLinkRecord>();
            await foreach (var record in links.ListAsync(day, call.CancellationToken))
            {
                issued.Add(record);
            }

            return ApiResult.Ok(issued);
        });
}
