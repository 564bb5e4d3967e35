using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Batches;

namespace Pipeline.Functions.Functions;

/// <summary>The poison queue for an operator: ids, batch, reason, when, dequeue count; never a message's text (it may hold reports).</summary>
public sealed class ListPoisonFunction(RequestGuard guard, PoisonQueue poison)
{
    [Function("ListPoison")]
    [Roles(Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "operations/poison")] HttpRequest request) =>
        guard.AuthorizedAsync(this, request, async call =>
            ApiResult.Ok(await poison.ListAsync(call.CancellationToken)));
}
