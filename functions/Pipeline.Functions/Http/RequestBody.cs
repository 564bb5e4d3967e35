using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Pipeline.Functions.Http;

/// <summary>Reads a request body with a size limit and a content-type check, before anything parses it.</summary>
public static class RequestBody
{
    public sealed record Read(byte[]? Bytes, BodyFault Fault);

    public enum BodyFault
    {
        None,
        TooLarge,
        UnsupportedType,
    }

    public static async Task<Read> ReadAsync(HttpRequest request, long maxBytes, string[] mediaTypes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !mediaTypes.Any(m => type.MediaType.Equals(m, StringComparison.OrdinalIgnoreCase))
            || (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return new Read(null, BodyFault.UnsupportedType);
        }

        if (request.ContentLength > maxBytes)
        {
            return new Read(null, BodyFault.TooLarge);
        }

        // The client's upload speed is not storage's: a slow phone must not use up the request's storage deadline.
        using var suspended = RequestDeadline.Suspend(request);

        if (request.ContentLength is { } length)
        {
            // The usual case (a browser, curl, Excel's uploaders): one array of the announced size, no second copy.
            var exact = new byte[length];
            var filled = 0;
            int got;
            while (filled < exact.Length && (got = await request.Body.ReadAsync(exact.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += got;
            }

            if (filled == exact.Length && await request.Body.ReadAsync(new byte[1], cancellationToken) > 0)
            {
                return new Read(null, BodyFault.TooLarge);
            }

            return new Read(filled == exact.Length ? exact : exact[..filled], BodyFault.None);
        }

        // A chunked body (HttpClient's JsonContent, some uploaders): read through a pooled chunk, not a new 16 KiB one per request.
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return new Read(null, BodyFault.TooLarge);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return new Read(buffer.ToArray(), BodyFault.None);
    }
}
