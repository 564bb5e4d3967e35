using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// Finds a font with Chinese glyphs for the PDF: <c>Pipeline:PdfFont</c> (a .ttf/.ttc path, or <c>none</c>), else one
/// shipped in the app's <c>fonts/</c> folder (the function app copies the build machine's), else the usual Debian
/// places (fonts-wqy-microhei, fonts-wqy-zenhei); only a font with TrueType outlines (Debian's fonts-noto-cjk has
/// PostScript ones, which the PDF writer cannot embed: it is passed over, with a warning). The PDF embeds a subset of it (the glyphs the page
/// uses), so its text can be selected and searched. Without one the PDF is still made, without text, and a warning is logged.
/// </summary>
public sealed partial class PdfFontLocator(IConfiguration configuration, ILogger<PdfFontLocator> logger)
{
    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ];

    private readonly Lazy<string?> font = new(() => Locate(configuration["Pipeline:PdfFont"], logger));

    /// <summary>The font file, when one was found.</summary>
    public string? Path => font.Value;

    /// <summary>The family name to draw with (registered with the PDF writer's font resolver), or null without a font.</summary>
    public string? Family => Path is { } path ? PdfFontResolver.Register(path) : null;

    /// <summary>
    /// The font cut to the characters of <paramref name="texts"/> (<see cref="TrueTypeSubset"/>), registered under a name of
    /// its own, and the characters it has; null without a font. Text of other characters is drawn with <see cref="Family"/>.
    /// </summary>
    public PdfFontSubset? Subset(IEnumerable<string> texts)
    {
        if (Path is not { } path)
        {
            return null;
        }

        var characters = DistinctCharacters(texts);
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(characters)))[..8];
        var font = TrueTypeSubset.Keep(TrueTypeCollection.Extract(File.ReadAllBytes(path)), characters, id);
        return new PdfFontSubset(PdfFontResolver.Register($"{path}#{id}", () => font.Font), font.Characters);
    }

    /// <summary>
    /// The characters (UTF-16 code units) of <paramref name="texts"/>, each once, in ordinal order: a flag per code unit, not
    /// a sorted set of every character (the files' vocabulary holds every unit's name: 100,000 units are half a million
    /// characters, which the set copied and sorted whole, at the first build of every instance).
    /// </summary>
    public static string DistinctCharacters(IEnumerable<string> texts)
    {
        var seen = new bool[char.MaxValue + 1];
        var count = 0;
        foreach (var text in texts)
        {
            foreach (var c in text)
            {
                count += seen[c] ? 0 : 1;
                seen[c] = true;
            }
        }

        return string.Create(count, seen, static (characters, seen) =>
        {
            for (int c = 0, i = 0; c < seen.Length; c++)
            {
                if (seen[c])
                {
                    characters[i++] = (char)c;
                }
            }
        });
    }

    private static string? Locate(string? configured, ILogger logger)
    {
        if (configured == "none")
        {
            // No font on purpose (a check that the PDF is still made without one).
            return null;
        }

        var folder = System.IO.Path.Combine(AppContext.BaseDirectory, "fonts");
        var shipped = Directory.Exists(folder) ? Directory.GetFiles(folder).Order() : Enumerable.Empty<string>();
        foreach (var path in new[] { configured }.Concat(shipped).Concat(Candidates))
        {
            if (!string.IsNullOrWhiteSpace(path) && File.Exists(path)
                && System.IO.Path.GetExtension(path).ToLowerInvariant() is ".ttf" or ".ttc" or ".otf")
            {
                switch (OutlinesOf(path))
                {
                    case FontOutlines.TrueType:
                        return path;
                    case FontOutlines.PostScript:
                        LogPostScriptOutlines(logger, path);
                        break;
                    default:
                        LogUnreadableFont(logger, path);
                        break;
                }
            }
        }

        LogNoCjkFont(logger, string.Join(", ", Candidates));
        return null;
    }

    private static FontOutlines OutlinesOf(string path)
    {
        using var file = File.OpenRead(path);
        return TrueTypeCollection.Outlines(file);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Font {Path} has PostScript (CFF) outlines, which the PDF writer cannot embed; looking for another")]
    private static partial void LogPostScriptOutlines(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Font {Path} is cut short or damaged, or has no outlines the PDF writer can embed; looking for another")]
    private static partial void LogUnreadableFont(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No font with Chinese glyphs found (set Pipeline:PdfFont or install fonts-wqy-microhei; looked in {Paths}); the PDF will carry no text")]
    private static partial void LogNoCjkFont(ILogger logger, string paths);
}
