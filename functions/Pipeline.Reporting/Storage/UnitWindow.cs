namespace Pipeline.Reporting.Storage;

/// <summary>
/// What a submission for one unit and day reads before it writes, in one point read (one range read more for a
/// day older than the state row keeps): the unit's state, the day's revisions so far, and the days before.
/// </summary>
/// <param name="Kept">Whether the state row keeps this day, and so must be written with its revisions.</param>
public sealed record UnitWindow(UnitState State, DateOnly Date, bool Kept, IReadOnlyList<RevisionId> DayRevisions, IReadOnlyList<UnitDay> History)
{
    public int LatestRevision => DayRevisions.Count == 0 ? 0 : DayRevisions[^1].Revision;

    /// <summary>The revision this content is a replay of: the same submission with the same content, or the newest content again.</summary>
    public RevisionId? ReplayOf(string? submissionId, string contentHash) =>
        (submissionId is null ? null : DayRevisions.LastOrDefault(r => r.SubmissionId == submissionId && r.ContentHash == contentHash))
        ?? (DayRevisions.Count > 0 && DayRevisions[^1].ContentHash == contentHash ? DayRevisions[^1] : null);
}
