using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Pipeline.Functions.Http;

/// <summary>The headers every download shares: its validator, revalidation on every use, and the file's name.</summary>
public static class DownloadHeaders
{
    /// <summary>
    /// Sets the ETag and <c>Cache-Control: no-cache</c> (a cached copy is used only after the server says it is still
    /// current) and answers 304 when If-None-Match matches the ETag: <c>*</c> or any of its tags, weak or strong
    /// (RFC 9110 13.1.2 compares weakly). Returns whether it did, so the caller writes no content.
    /// </summary>
    public static bool AnsweredNotModified(HttpContext context, string etag)
    {
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "no-cache";
        if (!context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Tag == etag))
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status304NotModified;
        return true;
    }

    /// <summary>Content-Disposition: attachment, with the name the browser saves the file under.</summary>
    public static void Attachment(HttpResponse response, string fileName) =>
        response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = fileName, DispositionType = "attachment" }.ToString();
}
