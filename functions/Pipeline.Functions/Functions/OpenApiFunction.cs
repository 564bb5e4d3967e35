using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;

namespace Pipeline.Functions.Functions;

/// <summary>The OpenAPI 3 document of this app, generated from its own function attributes (anyone may read it).</summary>
public sealed class OpenApiFunction
{
    [Function("OpenApi")]
    [Anonymous]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        ApiResult.Ok(OpenApiDocument.Build(typeof(OpenApiFunction).Assembly));
}
