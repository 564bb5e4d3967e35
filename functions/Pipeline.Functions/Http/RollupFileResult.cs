using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Pipeline.Reporting.Rollups;

namespace Pipeline.Functions.Http;

/// <summary>
/// A stored rollup file as a download, streamed. A file stored gzip-encoded goes out as stored to a client that takes
/// gzip (every browser), with Content-Encoding: gzip and an ETag of its own (one file, two representations: a cache must
/// never answer one with the other); any other client gets the file itself, decoded on the way, the file the manifest's
/// <c>bytes</c> and <c>sha256</c> describe, whose hash is its ETag.
/// </summary>
public sealed class RollupFileResult(StoredRollupFile stored, long fileBytes, string sha256, string downloadName) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var request = context.HttpContext.Request;
        var response = context.HttpContext.Response;
        var encoded = stored.Gzipped && AcceptsGzip(request);
        var etag = encoded ? $"\"{sha256}-gzip\"" : $"\"{sha256}\"";
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (DownloadHeaders.AnsweredNotModified(context.HttpContext, etag))
        {
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = stored.ContentType;
        DownloadHeaders.Attachment(response, downloadName);
        if (encoded)
        {
            response.Headers.ContentEncoding = BlobCreateStream.Gzip;
            response.ContentLength = stored.StoredBytes;
            await stored.Content.CopyToAsync(response.Body, context.HttpContext.RequestAborted);
            return;
        }

        response.ContentLength = stored.Gzipped ? fileBytes : stored.StoredBytes;
        await using var file = stored.Decoded();
        await file.CopyToAsync(response.Body, context.HttpContext.RequestAborted);
    }

    /// <summary>Whether Accept-Encoding takes gzip: named with a quality above 0, or <c>*</c> so where gzip is not named.</summary>
    private static bool AcceptsGzip(HttpRequest request)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var encodings))
        {
            return false;
        }

        var gzip = encodings.FirstOrDefault(e => e.Value.Equals(BlobCreateStream.Gzip, StringComparison.OrdinalIgnoreCase))
            ?? encodings.FirstOrDefault(e => e.Value.Equals("*", StringComparison.Ordinal));
        return gzip is not null && (gzip.Quality ?? 1) > 0;
    }
}
