using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;

namespace Pipeline.Reporting.Storage;

/// <summary>One valid report of a group to store, with its content hash.</summary>
public sealed record GroupedReport(ValidReport Report, string ContentHash);

/// <summary>What became of one report of a group: saved (or recognised as a replay), or a storage fault.</summary>
public sealed record GroupedSave(SaveResult? Saved, Exception? Error);

/// <summary>
/// Stores many reports at once, as a batch upload brings them: per county one range read of the units' state rows,
/// then entity-group transactions of up to 100 rows (each unit's new revisions with its state row, never split).
/// A day older than the state rows keep costs one more range read per county and day, for all its units at once.
/// A transaction that meets a concurrent writer changes nothing; its units then go one report at a time through
/// <see cref="ReportStore.SaveAsync"/>, which reads again. Reports of one unit are stored in the order given.
/// </summary>
public sealed partial class GroupedReportWriter(ReportStore store, ReportingClock clock, ILogger<GroupedReportWriter> logger)
{
    private const int MaxActions = 100;
    private const int TransactionsInParallel = 8;

    /// <param name="draftOf">Builds a report's draft from the unit's history as it stands just before that report.</param>
    public async Task<IReadOnlyList<GroupedSave>> SaveAsync(
        IReadOnlyList<GroupedReport> reports,
        Func<GroupedReport, IReadOnlyList<UnitDay>, RevisionDraft> draftOf,
        int historyDays,
        CancellationToken cancellationToken)
    {
        var results = new GroupedSave[reports.Count];
        var byUnit = Enumerable.Range(0, reports.Count).GroupBy(i => reports[i].Report.UnitCode, StringComparer.Ordinal).ToList();
        var oneByOne = new List<IReadOnlyList<int>>();
        foreach (var county in byUnit.GroupBy(u => store.PartitionOf(u.Key), StringComparer.Ordinal))
        {
            var today = clock.Today;
            var states = await store.ReadStatesAsync(county.Key, cancellationToken);
            UnitState StateOf(string unit) => states.GetValueOrDefault(unit) ?? UnitState.New(unit);
            var oldDays = new Dictionary<DateOnly, Dictionary<string, List<RevisionId>>>();
            foreach (var date in county.SelectMany(u => u.Select(i => (Unit: u.Key, reports[i].Report.ReportDate)))
                         .Where(r => !StateOf(r.Unit).Knows(r.ReportDate, today)).Select(r => r.ReportDate).Distinct())
            {
                oldDays[date] = await store.ReadDayRevisionIdsAsync(date, county.Key, cancellationToken);
            }

            var plans = new List<UnitPlan>();
            foreach (var unit in county)
            {
                var plan = Plan(unit.ToList(), reports, StateOf(unit.Key), county.Key, today, oldDays, draftOf, historyDays);
                if (plan is null)
                {
                    oneByOne.Add(unit.ToList());
                }
                else
                {
                    plans.Add(plan);
                }
            }

            var transactions = Pack(plans);
            await Parallel.ForEachAsync(transactions, new ParallelOptions { MaxDegreeOfParallelism = TransactionsInParallel, CancellationToken = cancellationToken }, async (transaction, ct) =>
            {
                try
                {
                    var actions = transaction.SelectMany(p => p.Actions).ToList();
                    if (actions.Count > 0)
                    {
                        await store.SubmitAsync(actions, ct);
                    }

                    foreach (var plan in transaction)
                    {
                        await CompleteAsync(plan, results, ct);
                    }
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    LogConcurrentWriter(county.Key, transaction.Count);
                    lock (oneByOne)
                    {
                        oneByOne.AddRange(transaction.Select(p => p.Indexes));
                    }
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    foreach (var index in transaction.SelectMany(p => p.Indexes))
                    {
                        results[index] = new GroupedSave(null, e);
                    }
                }
            });
        }

        await Parallel.ForEachAsync(oneByOne, new ParallelOptions { MaxDegreeOfParallelism = TransactionsInParallel, CancellationToken = cancellationToken }, async (indexes, ct) =>
        {
            Exception? failed = null;
            foreach (var index in indexes)
            {
                results[index] = failed is not null ? new GroupedSave(null, failed) : await SaveOneAsync(reports[index], draftOf, historyDays, ct);
                failed ??= results[index].Error; // later reports of the unit wait, or a correction could be overtaken by what it corrects
            }
        });
        return results;
    }

    private static async Task CompleteAsync(UnitPlan plan, GroupedSave[] results, CancellationToken cancellationToken)
    {
        foreach (var (index, outcome) in plan.Outcomes)
        {
            results[index] = outcome.Saved is not null
                ? new GroupedSave(outcome.Saved, null)
                : new GroupedSave(await outcome.Replay!(cancellationToken), null);
        }
    }

    private async Task<GroupedSave> SaveOneAsync(GroupedReport report, Func<GroupedReport, IReadOnlyList<UnitDay>, RevisionDraft> draftOf, int historyDays, CancellationToken cancellationToken)
    {
        try
        {
            var window = await store.ReadWindowAsync(report.Report.UnitCode, report.Report.ReportDate, historyDays, cancellationToken);
            return new GroupedSave(await store.SaveAsync(draftOf(report, window.History), window, cancellationToken), null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new GroupedSave(null, e);
        }
    }

    /// <summary>
    /// A unit's reports applied in order to the state read (a day the state row does not keep, to that day's
    /// revisions as read for the county); null when they must go one by one (more than a transaction holds).
    /// </summary>
    private UnitPlan? Plan(
        List<int> indexes, IReadOnlyList<GroupedReport> reports, UnitState read, string partition, DateOnly today,
        Dictionary<DateOnly, Dictionary<string, List<RevisionId>>> oldDays,
        Func<GroupedReport, IReadOnlyList<UnitDay>, RevisionDraft> draftOf, int historyDays)
    {
        var state = read;
        var oldRevisions = new Dictionary<DateOnly, List<RevisionId>>();
        var actions = new List<TableTransactionAction>();
        var outcomes = new List<(int Index, PlannedOutcome Outcome)>();
        foreach (var index in indexes)
        {
            var report = reports[index].Report;
            var date = report.ReportDate;
            var kept = state.Knows(date, today);
            if (!kept && !oldRevisions.ContainsKey(date))
            {
                oldRevisions[date] = [.. oldDays[date].GetValueOrDefault(report.UnitCode) ?? []];
            }

            var window = new UnitWindow(state, date, kept, kept ? state.DayOf(date)?.Revisions ?? [] : oldRevisions[date], state.HistoryBefore(date, historyDays));
            if (window.ReplayOf(report.SubmissionId, reports[index].ContentHash) is { } replay)
            {
                var latest = window.LatestRevision;
                outcomes.Add((index, new PlannedOutcome(null, ct => store.ReplayResultAsync(report.UnitCode, date, replay.Revision, latest, ct))));
                continue;
            }

            var stored = ReportStore.Revision(draftOf(reports[index], window.History), window.LatestRevision + 1);
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, store.RevisionEntity(stored, partition)));
            outcomes.Add((index, new PlannedOutcome(new SaveResult(stored.Revision == 1 ? SaveOutcome.Created : SaveOutcome.Updated, stored), null)));
            if (kept)
            {
                state = state.With(stored, today);
            }
            else
            {
                oldRevisions[date].Add(new RevisionId(stored.Revision, stored.SubmissionId, stored.ContentHash));
            }
        }

        if (!ReferenceEquals(state, read))
        {
            actions.Add(store.StateAction(read, state, partition));
        }

        return actions.Count > MaxActions ? null : new UnitPlan(indexes, actions, outcomes);
    }

    /// <summary>Units' plans packed into transactions of at most <see cref="MaxActions"/> rows.</summary>
    private static List<List<UnitPlan>> Pack(List<UnitPlan> plans)
    {
        var transactions = new List<List<UnitPlan>>();
        var current = new List<UnitPlan>();
        var size = 0;
        foreach (var plan in plans)
        {
            if (size + plan.Actions.Count > MaxActions)
            {
                transactions.Add(current);
                current = [];
                size = 0;
            }

            current.Add(plan);
            size += plan.Actions.Count;
        }

        if (current.Count > 0)
        {
            transactions.Add(current);
        }

        return transactions;
    }

    private sealed record PlannedOutcome(SaveResult? Saved, Func<CancellationToken, Task<SaveResult>>? Replay);

    private sealed record UnitPlan(IReadOnlyList<int> Indexes, List<TableTransactionAction> Actions, List<(int Index, PlannedOutcome Outcome)> Outcomes);

    [LoggerMessage(Level = LogLevel.Information, Message = "A grouped write in county {CountyCode} met a concurrent writer; its {Units} units go one report at a time")]
    private partial void LogConcurrentWriter(string countyCode, int units);
}
