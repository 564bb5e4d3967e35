using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SkiaSharp;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// Finds a font with Chinese glyphs for the PDF: <c>Pipeline:PdfFont</c> (a .ttf/.ttc/.otf path, or <c>none</c>), else one
/// shipped in the app's <c>fonts/</c> folder (the function app copies the build machine's), else the
/// usual Debian places (fonts-noto-cjk, fonts-wqy-microhei, fonts-wqy-zenhei). Without one the PDF is still
/// made, with the default typeface (Chinese text then shows as empty boxes), and a warning is logged.
/// </summary>
public sealed partial class PdfFontLocator(IConfiguration configuration, ILogger<PdfFontLocator> logger)
{
    public const string ChartFontName = "PipelineCjk";

    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    ];

    private readonly Lazy<(SKTypeface Typeface, string? Path)> font = new(() => Locate(configuration["Pipeline:PdfFont"], logger));

    public SKTypeface Typeface => font.Value.Typeface;

    /// <summary>The font file, when one with Chinese glyphs was found.</summary>
    public string? Path => font.Value.Path;

    private static (SKTypeface, string?) Locate(string? configured, ILogger logger)
    {
        if (configured == "none")
        {
            // No Chinese font on purpose (a check that the PDF is still made without one).
            return (SKTypeface.Default, null);
        }

        var shipped = Directory.Exists(System.IO.Path.Combine(AppContext.BaseDirectory, "fonts"))
            ? Directory.GetFiles(System.IO.Path.Combine(AppContext.BaseDirectory, "fonts")).Order()
            : Enumerable.Empty<string>();
        foreach (var path in new[] { configured }.Concat(shipped).Concat(Candidates))
        {
            if (!string.IsNullOrWhiteSpace(path) && File.Exists(path) && SKTypeface.FromFile(path) is { } typeface
                && typeface.ContainsGlyphs("汇总"))
            {
                ScottPlot.Fonts.AddFontFile(ChartFontName, path);
                return (typeface, path);
            }
        }

        LogNoCjkFont(logger, string.Join(", ", Candidates));
        return (SKTypeface.Default, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No font with Chinese glyphs found (set Pipeline:PdfFont or install fonts-wqy-microhei; looked in {Paths}); PDF text in Chinese will not show")]
    private static partial void LogNoCjkFont(ILogger logger, string paths);
}
