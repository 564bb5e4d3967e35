using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;

namespace Pipeline.Testing;

/// <summary>A storage request as a test sees it: method, path, the query string decoded (a table query's filter), and the body as text.</summary>
public sealed partial record StorageRequest(string Method, string Path, string Query, string Body)
{
    public bool IsTransaction => Path.EndsWith("/$batch", StringComparison.Ordinal);

    /// <summary>The entities a request writes or reads: a transaction's operations (one request line each in its change set), else one.</summary>
    public int Entities => IsTransaction ? Operation().Count(Body) : 1;

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

    /// <summary>One operation of a transaction's change set: its request line.</summary>
    [GeneratedRegex(@"^(?:POST|PUT|MERGE|PATCH|DELETE) http\S+ HTTP/1\.1\r?$", RegexOptions.Multiline)]
    private static partial Regex Operation();
}
