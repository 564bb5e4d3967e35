using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Officials;

namespace Pipeline.Functions.Functions;

/// <summary>The officials' console and its assets, served by the app: no CDN, no external fonts, everything else from the API.</summary>
public sealed class ConsoleFunction(ConsoleAssets assets)
{
    /// <summary>Scripts and styles only from the app; QR codes are data: images; never framed (clickjacking), no referrer.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    [Function("Console")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{*asset}")] HttpRequest request,
        string? asset)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return assets.Find(string.IsNullOrEmpty(asset) ? "index.html" : asset) is { } file
            ? new DownloadResult(file.Content, file.ContentType, etag: file.ETag)
            : new ApiResult(StatusCodes.Status404NotFound, null);
    }
}
