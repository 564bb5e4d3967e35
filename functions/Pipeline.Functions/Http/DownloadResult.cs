using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Pipeline.Functions.Http;

/// <summary>Bytes with a content type, optionally as a download, written without MVC's executors.</summary>
public sealed class DownloadResult(byte[] content, string contentType, string? downloadName = null, string? etag = null) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        if (etag is not null && DownloadHeaders.AnsweredNotModified(context.HttpContext, etag))
        {
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = content.Length;
        if (downloadName is not null)
        {
            DownloadHeaders.Attachment(response, downloadName);
        }

        await response.Body.WriteAsync(content, context.HttpContext.RequestAborted);
    }
}
