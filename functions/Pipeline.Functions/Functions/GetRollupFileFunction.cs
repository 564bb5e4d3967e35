using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Rollups;

namespace Pipeline.Functions.Functions;

/// <summary>
/// One file of an area's rollup revision (<c>?scope=</c>; the latest unless <c>?revision=N</c>), as an attachment: gzip-encoded
/// as stored to a client that takes gzip, else the file itself (<see cref="RollupFileResult"/>).
/// </summary>
public sealed class GetRollupFileFunction(RequestGuard guard, RollupEndpoints endpoints, RollupStore store)
{
    [Function("GetRollupFile")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rollups/{date}/files/{name}")] HttpRequest request,
        string date,
        string name) =>
        guard.AuthorizedAsync(this, request, call => endpoints.ForDayAsync(call, date, async (day, scope) =>
        {
            var (view, file, problem) = await endpoints.FindFileAsync(call, day, scope, name);
            if (view is null || file is null)
            {
                return problem!;
            }

            // Listed in the manifest but gone from the container: the same 404 as a file never listed.
            var stored = await store.OpenAsync(store.PathOf(day, scope.Code, view.Revision, file.Name), call.CancellationToken);
            if (stored is null)
            {
                return endpoints.FileNotFound(call, name);
            }

            request.HttpContext.Response.RegisterForDisposeAsync(stored);
            return new RollupFileResult(stored, file.Bytes, file.Sha256, endpoints.DownloadName(view, name));
        }));
}
