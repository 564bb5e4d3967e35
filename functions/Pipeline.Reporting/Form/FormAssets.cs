using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Pipeline.Reporting.Form;

/// <summary>The form's static files, compiled into the library so both hosts serve the same bytes.</summary>
public sealed class FormAssets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".webmanifest"] = "application/manifest+json; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    };

    private readonly ConcurrentDictionary<string, FormAsset?> cache = new(StringComparer.Ordinal);

    public FormAsset? Find(string name)
    {
        if (name.Length > 64 || name.Contains('/') || name.Contains('\\') || name.StartsWith('.')
            || !ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
        {
            return null;
        }

        return cache.GetOrAdd(name, n =>
        {
            using var stream = EmbeddedData.TryOpenForm(n);
            if (stream is null)
            {
                return null;
            }

            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            return new FormAsset(bytes, contentType, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
        });
    }
}
