using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Rollups;

namespace Pipeline.Functions.Functions;

/// <summary>
/// A direct download link to one file of an area's rollup revision (<c>?scope=&amp;revision=</c>), for the same readers
/// as the file itself: <c>{url, expiresAt}</c>, a read-only SAS for that blob valid at most 5 minutes (the valet key).
/// </summary>
public sealed class GetRollupLinkFunction(RequestGuard guard, RollupEndpoints endpoints, RollupLinks links)
{
    [Function("GetRollupLink")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rollups/{date}/files/{name}/link")] HttpRequest request,
        string date,
        string name) =>
        guard.AuthorizedAsync(this, request, call => endpoints.ForDayAsync(call, date, async (day, scope) =>
        {
            var (view, file, problem) = await endpoints.FindFileAsync(call, day, scope, name);
            if (view is null || file is null)
            {
                return problem!;
            }

            var link = await links.IssueAsync(call.Caller, day, scope.Code, view.Revision, file.Name, endpoints.DownloadName(view, name),
                endpoints.ContentType(view, name), call.CancellationToken);
            return ApiResult.Ok(link);
        }));
}
