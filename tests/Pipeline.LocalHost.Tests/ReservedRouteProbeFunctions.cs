using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;

namespace Pipeline.LocalHost.Tests;

/// <summary>HTTP functions that exist only for these tests: some on routes the Functions host reserves.</summary>
public sealed class ReservedRouteProbeFunctions
{
    [Function("ProbeAdminTokens")]
    public IActionResult AdminTokens([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/tokens")] HttpRequest request) => Served();

    [Function("ProbeRuntime")]
    public IActionResult Runtime([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "/Runtime/status")] HttpRequest request) => Served();

    [Function("ProbeAdministration")]
    public IActionResult Administration([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "administration")] HttpRequest request) => Served();

    /// <summary>No route: the host serves it on its name, which here is in the reserved space.</summary>
    [Function("adminProbe")]
    public IActionResult NamedAdmin([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => Served();

    [Function("ProbeTokens")]
    public IActionResult Tokens([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tokens")] HttpRequest request) => Served();

    [Function("ProbeUnrouted")]
    public IActionResult Unrouted([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => Served();

    private static ApiResult Served() => ApiResult.Ok("served");
}
