using Microsoft.AspNetCore.Http;

namespace Pipeline.Functions.Http;

/// <summary>The headers every page the app serves (the reporters' form, the officials' console) and its assets carry.</summary>
public static class PageSecurityHeaders
{
    /// <summary>
    /// Scripts, styles and requests only to the app itself, no inline script or style; images also as data: URLs
    /// (the form's empty favicon, the console's QR codes); never framed, so a page holding a token cannot be
    /// clicked away from under another site.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
