using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Form;

namespace Pipeline.Functions.Functions;

/// <summary>The reporters' web form and its assets, all served by the app: no CDN, no build step.</summary>
public sealed class FormFunction(FormAssets assets)
{
    [Function("Form")]
    [Anonymous]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "form/{*asset}")] HttpRequest request,
        string? asset)
    {
        PageSecurityHeaders.Apply(request.HttpContext.Response);
        return assets.Find(string.IsNullOrEmpty(asset) ? "index.html" : asset) is { } file
            ? new DownloadResult(file.Content, file.ContentType, etag: file.ETag)
            : new ApiResult(StatusCodes.Status404NotFound, null);
    }
}
