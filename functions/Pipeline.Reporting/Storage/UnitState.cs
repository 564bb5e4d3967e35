using Azure;

namespace Pipeline.Reporting.Storage;

/// <summary>One revision as a unit's state row remembers it: enough to tell a replay from a correction.</summary>
public sealed record RevisionId(int Revision, string? SubmissionId, string ContentHash);

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

/// <summary>
/// A unit's state row: its recent days, oldest first. The row keeps the days from <see cref="KeepDays"/> before
/// today; a report for an older day (a backfill) reads that day's revisions instead. Days before
/// <see cref="CompleteFrom"/> may have been let go. The <see cref="ETag"/> is what a writer of the unit must still
/// find, so writers of one unit take turns.
/// </summary>
public sealed record UnitState(string UnitCode, ETag ETag, DateOnly CompleteFrom, IReadOnlyList<UnitDay> Days)
{
    /// <summary>How many days before today the row keeps: the soft rules' 30 days and the correction window, with room.</summary>
    public const int KeepDays = 45;

    public static UnitState New(string unitCode) => new(unitCode, default, DateOnly.MinValue, []);

    /// <summary>The first day a state row keeps, on <paramref name="today"/>.</summary>
    public static DateOnly KeepFrom(DateOnly today) => today.AddDays(-KeepDays);

    public bool Exists => ETag != default;

    /// <summary>Whether the row knows every revision of <paramref name="date"/>: a kept day it has not let go.</summary>
    public bool Knows(DateOnly date, DateOnly today) => date >= CompleteFrom && date >= KeepFrom(today);

    /// <summary>
    /// Whether the row holds every revision id of <paramref name="date"/>: a day it knows whose ids were not cut to the
    /// newest (a day of very many corrections). Otherwise replay detection reads the day's revisions.
    /// </summary>
    public bool Holds(DateOnly date, DateOnly today) => Knows(date, today) && DayOf(date) is not { IsComplete: false };

    public UnitDay? DayOf(DateOnly date) => Days.FirstOrDefault(d => d.Date == date);

    /// <summary>The days before <paramref name="date"/>, at most <paramref name="days"/> back, newest first.</summary>
    public IReadOnlyList<UnitDay> HistoryBefore(DateOnly date, int days) =>
        Days.Where(d => d.Date < date && d.Date >= date.AddDays(-days)).OrderByDescending(d => d.Date).ToList();

    /// <summary>The state once <paramref name="revision"/> (of a day the row knows) is stored: its day updated, days no longer kept let go.</summary>
    public UnitState With(StoredReport revision, DateOnly today)
    {
        var keepFrom = KeepFrom(today);
        var day = DayOf(revision.ReportDate);
        var ids = (day?.Revisions ?? []).Append(new RevisionId(revision.Revision, revision.SubmissionId, revision.ContentHash)).ToList();
        var days = Days.Where(d => d.Date != revision.ReportDate)
            .Append(new UnitDay(revision.ReportDate, ids, revision.Values))
            .Where(d => d.Date >= keepFrom)
            .OrderBy(d => d.Date)
            .ToList();
        return this with { Days = days, CompleteFrom = CompleteFrom > keepFrom ? CompleteFrom : keepFrom };
    }

    /// <summary>The state with at most <paramref name="count"/> revision ids per day, for a row that grew too large.</summary>
    public UnitState WithNewestIds(int count) => this with { Days = Days.Select(d => d.WithNewestIds(count)).ToList() };

    /// <summary>The state without its oldest day, for a row that is too large even with one id per day.</summary>
    public UnitState WithoutOldestDay() =>
        Days.Count == 0 ? this : this with
        {
            Days = Days.Skip(1).ToList(),
            CompleteFrom = CompleteFrom > Days[0].Date ? CompleteFrom : Days[0].Date.AddDays(1),
        };
}
