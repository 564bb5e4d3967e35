namespace Pipeline.Reporting.Validation;

/// <summary>
/// The characters refused in every text of a report (and of a token label): control characters and the Unicode
/// marks that can disguise or hide text (zero-width characters, bidi marks, embeddings, overrides and isolates). Declared as data so that the form checks the same ranges
/// (<c>GET /api/report-shape</c>); tab and line breaks are allowed where a field allows line breaks.
/// </summary>
public static class ForbiddenCharacters
{
    public static readonly IReadOnlyList<CharacterRange> Ranges =
    [
        new(0x0000, 0x001F), // C0 controls
        new(0x007F, 0x009F), // DEL and C1 controls
        new(0x200B, 0x200F), // zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
        new(0x202A, 0x202E), // bidi embeddings and overrides
        new(0x2066, 0x2069), // bidi isolates
        new(0xFEFF, 0xFEFF), // zero-width no-break space (byte order mark)
    ];

    /// <summary>Allowed, where a field allows line breaks, though they are control characters.</summary>
    public const string LineBreaks = "\n\r\t";

    private static readonly CharacterRange[] Table = [.. Ranges];

    public static bool IsForbidden(char c, bool allowLineBreaks)
    {
        foreach (var range in Table)
        {
            if (c >= range.First && c <= range.Last)
            {
                return !(allowLineBreaks && c is '\n' or '\r' or '\t');
            }
        }

        return false;
    }
}
