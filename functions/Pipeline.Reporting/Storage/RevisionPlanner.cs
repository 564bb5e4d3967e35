using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Decides, without any storage call, what a unit's incoming reports become: for each, in order, a replay of a
/// stored revision (the same submission with the same content, or the newest content again) or the next revision,
/// numbered, with its receipt, lateness and soft-rule warnings from the unit's history as it stands just before that
/// report; and the unit's state row after them. A single report is a plan of one; a batch brings several per unit.
/// </summary>
public sealed class RevisionPlanner(SoftRules softRules, ReportingClock clock)
{
    /// <summary>Rows in one entity-group transaction: units' revisions and state rows.</summary>
    public const int MaxActions = 100;

    /// <summary>How far back the soft rules look for the unit's earlier reports.</summary>
    public const int HistoryDays = 30;

    /// <summary>
    /// The days whose revision ids must be read for <paramref name="reports"/> because the state row does not hold
    /// them all: a day older than the row keeps (a backfill), or a day of so many corrections that the row keeps
    /// only its newest ids and a report is not a replay of one of those.
    /// </summary>
    public static IReadOnlySet<DateOnly> DaysToRead(UnitState state, IEnumerable<IncomingReport> reports, DateOnly today)
    {
        var days = new HashSet<DateOnly>();
        foreach (var incoming in reports)
        {
            var date = incoming.Report.ReportDate;
            if (state.Holds(date, today) || days.Contains(date))
            {
                continue;
            }

            // A report without a submission id is a replay only of the newest content, which the row always keeps.
            if (!state.Knows(date, today) || (incoming.Report.SubmissionId is not null && ReplayOf(state.DayOf(date)?.Revisions ?? [], incoming) is null))
            {
                days.Add(date);
            }
        }

        return days;
    }

    /// <summary>
    /// Plans <paramref name="reports"/> (one unit's, in order) on the state read, as far as one transaction of
    /// <paramref name="maxActions"/> rows holds them.
    /// </summary>
    /// <param name="readDays">Every revision id of each day <see cref="DaysToRead"/> named, oldest first.</param>
    public UnitPlan Plan(
        UnitState read, IReadOnlyDictionary<DateOnly, IReadOnlyList<RevisionId>> readDays, IReadOnlyList<IncomingReport> reports,
        DateTimeOffset receivedAt, DateOnly today, int maxActions = MaxActions)
    {
        var state = read;
        var dayIds = new Dictionary<DateOnly, List<RevisionId>>();
        var revisions = new List<StoredReport>();
        var outcomes = new List<PlannedOutcome>();
        foreach (var incoming in reports)
        {
            var report = incoming.Report;
            var date = report.ReportDate;
            if (!dayIds.TryGetValue(date, out var ids))
            {
                ids = readDays.TryGetValue(date, out var readIds) ? [.. readIds] : [.. state.DayOf(date)?.Revisions ?? []];
                dayIds[date] = ids;
            }

            var latest = ids.Count == 0 ? 0 : ids[^1].Revision;
            if (ReplayOf(ids, incoming) is { } replay)
            {
                outcomes.Add(PlannedOutcome.Replay(replay.Revision, latest));
                continue;
            }

            // The revisions and the state row (when it changes) count.
            var kept = state.Knows(date, today);
            if (revisions.Count + 1 + (kept || !ReferenceEquals(state, read) ? 1 : 0) > maxActions)
            {
                break;
            }

            var stored = Revision(incoming, latest + 1, receivedAt, softRules.Evaluate(report, state.HistoryBefore(date, HistoryDays)));
            revisions.Add(stored);
            outcomes.Add(PlannedOutcome.New(stored));
            ids.Add(new RevisionId(stored.Revision, stored.SubmissionId, stored.ContentHash));
            if (kept)
            {
                state = state.With(stored, today);
            }
        }

        return new UnitPlan(read, ReferenceEquals(state, read) ? null : state, revisions, outcomes);
    }

    /// <summary>The revision this report repeats: the same submission with the same content, or the newest content again.</summary>
    private static RevisionId? ReplayOf(IReadOnlyList<RevisionId> ids, IncomingReport incoming)
    {
        var submissionId = incoming.Report.SubmissionId;
        return (submissionId is null ? null : ids.LastOrDefault(r => r.SubmissionId == submissionId && r.HasContent(incoming.ContentHash)))
            ?? (ids.Count > 0 && ids[^1].HasContent(incoming.ContentHash) ? ids[^1] : null);
    }

    private StoredReport Revision(IncomingReport incoming, int revision, DateTimeOffset receivedAt, IReadOnlyList<ReportWarning> warnings)
    {
        var report = incoming.Report;
        return new StoredReport(
            report.UnitCode, report.ReportDate, revision, report.SubmissionId, report.Values,
            report.Notes, report.ReporterName, report.ReporterPhone, receivedAt, clock.IsLate(report.ReportDate, receivedAt),
            ReportFingerprint.Receipt(report.UnitCode, report.ReportDate, revision, incoming.ContentHash),
            warnings, incoming.ContentHash, incoming.SubmittedBy, incoming.SubmitterRole);
    }
}
