using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;

namespace Pipeline.Functions.Functions;

public sealed class GetReportFunction(RequestGuard guard, ReportReader reader, ReportViews views)
{
    [Function("GetReport")]
    [Roles(Role.Reporter, Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/{date}/{unitCode}")] HttpRequest request,
        string date,
        string unitCode) =>
        guard.AuthorizedAsync(this, request, call =>
            reader.ReadAsync(call, date, unitCode, revisions => ApiResult.Ok(views.Report(revisions[^1], call.Language))));
}
