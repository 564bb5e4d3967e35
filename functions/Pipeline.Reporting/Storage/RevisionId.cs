namespace Pipeline.Reporting.Storage;

/// <summary>One revision as a unit's state row remembers it: enough to tell a replay from a correction.</summary>
/// <param name="ContentHash">
/// The revision's content hash, or (in a state row) its first <see cref="KeptHashLength"/> characters: compare with
/// <see cref="HasContent"/>, which takes either.
/// </param>
public sealed record RevisionId(int Revision, string? SubmissionId, string ContentHash)
{
    /// <summary>
    /// How much of a content hash (64 hex digits) a state row keeps of each revision: 64 bits, which tell one unit's
    /// contents of one day apart (a row holds at most 20 ids a day), in a quarter of the characters. An id was about
    /// 95 characters, 64 of them the hash, and the ids are most of a row that every report rewrites.
    /// </summary>
    public const int KeptHashLength = 16;

    /// <summary>What a state row keeps of <paramref name="contentHash"/>.</summary>
    public static string Kept(string contentHash) =>
        contentHash.Length <= KeptHashLength ? contentHash : contentHash[..KeptHashLength];

    /// <summary>Whether this revision has the content <paramref name="contentHash"/> (whole or kept; rows written before keep whole hashes).</summary>
    public bool HasContent(string contentHash) =>
        ContentHash.Length > 0 && contentHash.AsSpan(0, Math.Min(contentHash.Length, KeptHashLength))
            .SequenceEqual(ContentHash.AsSpan(0, Math.Min(ContentHash.Length, KeptHashLength)));
}
