using System.Buffers.Binary;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Rollups.Rendering;
using Pipeline.Testing;
using UglyToad.PdfPig;

namespace Pipeline.Reporting.Tests.Rollups.Rendering;

using static Pipeline.Reporting.Tests.Rollups.RollupFixtures;

/// <summary>Which font the PDF is drawn with, as an administrator's configuration and the machine's fonts decide it.</summary>
public sealed class PdfFontLocatorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("pdf-font-").FullName;

    /// <summary>
    /// Debian's fonts-noto-cjk ships such fonts: OpenType with PostScript (CFF) outlines, no TrueType glyph table, which the
    /// PDF writer cannot embed. Taken for the PDF, every rollup build failed (a 500), not only its PDF.
    /// </summary>
    [Fact]
    public void A_font_with_postscript_outlines_is_passed_over_with_a_warning_and_the_pdf_is_still_made()
    {
        var postScript = Path.Combine(folder, "NotoSansCJK-Regular.otf");
        File.WriteAllBytes(postScript, PostScriptOutlinedFont());
        using var logs = new LogCapture();
        var fonts = new PdfFontLocator(
            new ConfigurationBuilder().AddInMemoryCollection([new("Pipeline:PdfFont", postScript)]).Build(),
            new Logger<PdfFontLocator>(new LoggerFactory([logs])));

        Assert.NotEqual(postScript, fonts.Path);
        Assert.Contains(logs.Lines, line => line.Contains(postScript, StringComparison.Ordinal) && line.Contains("PostScript", StringComparison.Ordinal));
        var file = new PdfRollupRenderer(Layout, Catalogue, fonts, Buffers).Render(SmallRollup.Document());
        using var document = PdfDocument.Open(file.Content);
        Assert.True(document.NumberOfPages >= 1);
    }

    /// <summary>
    /// A font file cut short (a copy that stopped part way): its directory promises more tables than the file holds. The
    /// warning must not send the administrator after PostScript outlines the file does not have.
    /// </summary>
    [Fact]
    public void A_font_file_cut_short_is_passed_over_with_a_warning_that_says_so()
    {
        var cut = Path.Combine(folder, "wqy-microhei.ttc");
        File.WriteAllBytes(cut, PostScriptOutlinedFont()[..20]);
        using var logs = new LogCapture();
        var fonts = new PdfFontLocator(
            new ConfigurationBuilder().AddInMemoryCollection([new("Pipeline:PdfFont", cut)]).Build(),
            new Logger<PdfFontLocator>(new LoggerFactory([logs])));

        Assert.NotEqual(cut, fonts.Path);
        var warning = Assert.Single(logs.Lines, line => line.Contains(cut, StringComparison.Ordinal));
        Assert.Contains("cut short or damaged", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("PostScript", warning, StringComparison.Ordinal);
    }

    /// <summary>An OpenType font file whose only outline table is 'CFF ' (the table directory is all the locator reads).</summary>
    private static byte[] PostScriptOutlinedFont()
    {
        var font = new byte[12 + 16 + 4];
        BinaryPrimitives.WriteUInt32BigEndian(font, 0x4F54544F); // "OTTO"
        BinaryPrimitives.WriteUInt16BigEndian(font.AsSpan(4), 1);
        "CFF "u8.CopyTo(font.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(12 + 8), 28);
        BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(12 + 12), 4);
        return font;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
