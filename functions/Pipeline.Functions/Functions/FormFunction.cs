using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Form;

namespace Pipeline.Functions.Functions;

/// <summary>The reporters' web form and its assets, all served by the app: no CDN, no build step.</summary>
public sealed class FormFunction(FormAssets assets)
{
    /// <summary>
    /// Scripts, styles and requests only to the app itself, no inline script or style; the favicon is the
    /// empty data: URL; never framed (a reporter's token must not be clicked away from under another page).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    [Function("Form")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "form/{*asset}")] HttpRequest request,
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
