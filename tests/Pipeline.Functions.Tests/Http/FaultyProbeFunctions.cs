using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;

namespace Pipeline.Functions.Tests.Http;

/// <summary>HTTP functions that exist only for these tests: each fails with a bug, through the request guard or around it.</summary>
public sealed class FaultyProbeFunctions(RequestGuard guard)
{
    public const string Secret = "probe bug 7f3a";

    [Function("ProbeBugBehindGateway")]
    [Roles(Role.Admin)]
    public Task<IActionResult> BehindGateway([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "probe/gateway")] HttpRequest request) =>
        guard.AuthorizedAsync(this, request, _ => throw new InvalidOperationException(Secret));

    [Function("ProbeBugAroundGateway")]
    [Anonymous]
    public IActionResult AroundGateway([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "probe/bare")] HttpRequest request) =>
        throw new InvalidOperationException(Secret);
}
