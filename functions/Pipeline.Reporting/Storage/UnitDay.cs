namespace Pipeline.Reporting.Storage;

/// <summary>
/// One day of a unit as its state row holds it: the newest revisions' ids (all of them, unless the day has so many
/// that the row keeps only the newest; see <see cref="IsComplete"/>), and the newest revision's values.
/// </summary>
public sealed record UnitDay(DateOnly Date, IReadOnlyList<RevisionId> Revisions, IReadOnlyDictionary<string, decimal> Values)
{
    public int Latest => Revisions.Count == 0 ? 0 : Revisions[^1].Revision;

    /// <summary>Whether every revision's id is here: revisions are numbered 1, 2, ... so a full list is as long as the newest number.</summary>
    public bool IsComplete => Revisions.Count == Latest;

    /// <summary>The day with only its <paramref name="count"/> newest revision ids (the newest is always kept: "the same content again" needs it).</summary>
    public UnitDay WithNewestIds(int count) =>
        Revisions.Count <= count ? this : this with { Revisions = Revisions.Skip(Revisions.Count - Math.Max(count, 1)).ToList() };
}
