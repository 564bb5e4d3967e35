using Microsoft.AspNetCore.Http;
using Pipeline.Reporting.Catalogue;

namespace Pipeline.Functions.Http;

/// <summary>Picks Chinese or English from Accept-Language by quality; Chinese unless English is preferred.</summary>
public static class RequestLanguage
{
    public static Language Of(HttpRequest request)
    {
        var preferred = request.GetTypedHeaders().AcceptLanguage
            .Where(l => (l.Quality ?? 1) > 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value ?? "")
            .FirstOrDefault(l => l.StartsWith("en", StringComparison.OrdinalIgnoreCase) || l.StartsWith("zh", StringComparison.OrdinalIgnoreCase));
        return preferred is not null && preferred.StartsWith("en", StringComparison.OrdinalIgnoreCase)
            ? Language.English
            : Language.Chinese;
    }
}
