using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// PDFsharp asks one process-wide resolver for font files. This one serves font files by path: the family name is
/// the path, so it holds no configuration of its own, only the bytes it has read (a font file does not change).
/// </summary>
internal sealed class PdfFontResolver : IFontResolver
{
    private const string Prefix = "pipeline-font:";
    private static readonly Lock Installing = new();
    private readonly ConcurrentDictionary<string, byte[]> files = new(StringComparer.Ordinal);

    /// <summary>Installs the resolver (once per process) and answers the family name that draws with <paramref name="path"/>.</summary>
    public static string Register(string path)
    {
        lock (Installing)
        {
            if (GlobalFontSettings.FontResolver is not PdfFontResolver)
            {
                GlobalFontSettings.FontResolver = new PdfFontResolver();
            }
        }

        return Prefix + path;
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        familyName.StartsWith(Prefix, StringComparison.Ordinal)
            ? new FontResolverInfo(familyName, mustSimulateBold: bold, mustSimulateItalic: italic)
            : null;

    public byte[]? GetFont(string faceName) =>
        faceName.StartsWith(Prefix, StringComparison.Ordinal)
            ? files.GetOrAdd(faceName, name => TrueTypeCollection.Extract(File.ReadAllBytes(name[Prefix.Length..])))
            : null;
}
