namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>What a font file's glyphs are drawn with, as its table directory says (<see cref="TrueTypeCollection.Outlines"/>).</summary>
public enum FontOutlines
{
    /// <summary>A <c>glyf</c> table: what the PDF writer embeds.</summary>
    TrueType,

    /// <summary>A <c>CFF </c> or <c>CFF2</c> table and no <c>glyf</c>: OpenType with PostScript outlines.</summary>
    PostScript,

    /// <summary>Cut short or damaged, or with neither kind of outline table.</summary>
    Unreadable,
}
