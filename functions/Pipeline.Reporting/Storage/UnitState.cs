using Azure;

namespace Pipeline.Reporting.Storage;

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

    /// <summary>
    /// How many times the row has been written; the next write stores one more. Every write is conditional on the
    /// ETag of the copy it was planned on, so the writes of one row are numbered one after another and a copy with a
    /// higher number is newer (<see cref="UnitStateCache"/> keeps the newer of two copies).
    /// </summary>
    public long Writes { get; init; }

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

    /// <summary>
    /// The state once <paramref name="revision"/> (of a day the row knows) is stored: its day updated (the revision's id
    /// with the part of its content hash a row keeps, <see cref="RevisionId.Kept"/>), days no longer kept let go.
    /// </summary>
    public UnitState With(StoredReport revision, DateOnly today)
    {
        var keepFrom = KeepFrom(today);
        var day = DayOf(revision.ReportDate);
        var ids = (day?.Revisions ?? []).Append(new RevisionId(revision.Revision, revision.SubmissionId, RevisionId.Kept(revision.ContentHash))).ToList();
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
