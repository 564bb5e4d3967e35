using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Pipeline.Reporting.Officials;

/// <summary>A page's static files compiled into the library (resources named <c>{prefix}{file}</c>), so both hosts serve the same bytes.</summary>
public class StaticAssets(string resourcePrefix)
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    };

    private readonly ConcurrentDictionary<string, StaticAsset?> cache = new(StringComparer.Ordinal);

    public StaticAsset? Find(string name)
    {
        if (name.Length > 64 || name.Contains('/') || name.Contains('\\') || name.StartsWith('.')
            || !ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
        {
            return null;
        }

        return cache.GetOrAdd(name, n =>
        {
            using var stream = typeof(StaticAssets).Assembly.GetManifestResourceStream(resourcePrefix + n);
            if (stream is null)
            {
                return null;
            }

            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            return new StaticAsset(bytes, contentType, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
        });
    }
}
