using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Officials;

namespace Pipeline.Functions.Functions;

/// <summary>The officials' console and its assets, served by the app: no CDN, no external fonts, everything else from the API.</summary>
public sealed class ConsoleFunction(ConsoleAssets assets)
{
    [Function("Console")]
    [Anonymous]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{*asset}")] HttpRequest request,
        string? asset)
    {
        PageSecurityHeaders.Apply(request.HttpContext.Response);
        return assets.Find(string.IsNullOrEmpty(asset) ? "index.html" : asset) is { } file
            ? new DownloadResult(file.Content, file.ContentType, etag: file.ETag)
            : new ApiResult(StatusCodes.Status404NotFound, null);
    }
}
