using System.Text;
using Azure.Core;

namespace Pipeline.Testing;

/// <summary>A storage request as a test sees it: method, path, the query string decoded (a table query's filter), and the body as text.</summary>
public sealed record StorageRequest(string Method, string Path, string Query, string Body)
{
    public bool IsTransaction => Path.EndsWith("/$batch", StringComparison.Ordinal);

    public static StorageRequest Of(HttpMessage message)
    {
        var body = "";
        if (message.Request.Content is { } content)
        {
            using var buffer = new MemoryStream();
            content.WriteTo(buffer, default);
            body = Encoding.UTF8.GetString(buffer.ToArray());
        }

        return new StorageRequest(message.Request.Method.ToString(), message.Request.Uri.Path, Uri.UnescapeDataString(message.Request.Uri.Query), body);
    }
}
