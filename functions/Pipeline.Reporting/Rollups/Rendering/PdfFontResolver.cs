using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// PDFsharp asks one process-wide resolver for font files. This one serves the fonts registered with it by family name:
/// a font file by its path, or a font made from one (a subset); it holds no configuration of its own, only each font's
/// bytes, made once when first asked for (a font does not change).
/// </summary>
internal sealed class PdfFontResolver : IFontResolver
{
    private const string Prefix = "pipeline-font:";
    private static readonly Lock Installing = new();
    private readonly ConcurrentDictionary<string, Lazy<byte[]>> files = new(StringComparer.Ordinal);

    /// <summary>Installs the resolver (once per process) and answers the family name that draws with <paramref name="path"/>.</summary>
    public static string Register(string path) =>
        Installed().Add(Prefix + path, () => TrueTypeCollection.Extract(File.ReadAllBytes(path)));

    /// <summary>Installs the resolver (once per process) and answers the family name that draws with the font <paramref name="make"/> makes.</summary>
    /// <param name="name">Names the font among all that are registered: the same name, the same font.</param>
    public static string Register(string name, Func<byte[]> make) => Installed().Add(Prefix + name, make);

    private static PdfFontResolver Installed()
    {
        lock (Installing)
        {
            if (GlobalFontSettings.FontResolver is not PdfFontResolver resolver)
            {
                resolver = new PdfFontResolver();
                GlobalFontSettings.FontResolver = resolver;
            }

            return resolver;
        }
    }

    private string Add(string family, Func<byte[]> make)
    {
        files.TryAdd(family, new Lazy<byte[]>(make));
        return family;
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        files.ContainsKey(familyName) ? new FontResolverInfo(familyName, mustSimulateBold: bold, mustSimulateItalic: italic) : null;

    public byte[]? GetFont(string faceName) => files.TryGetValue(faceName, out var font) ? font.Value : null;
}
