using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Time;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Stores reports, one or many: per county one read of the units' state rows (a point read for a lone unit, a range
/// read for several), <see cref="RevisionPlanner"/> decides each unit's revisions, and the plans go in entity-group
/// transactions of up to 100 rows (a unit's rows never split). A unit whose plan meets a concurrent writer, or has
/// more reports than one transaction holds, continues on its own: read, plan, write, under
/// <see cref="OptimisticConcurrency"/>. A transaction that fails for one unit for any other reason is split, so only
/// that unit's reports carry the fault and every other unit's rows land. Reports of one unit are stored in the order given.
/// A lone unit is planned on this instance's copy of its state row (<see cref="UnitStateCache"/>) when it has one, so
/// that its report is one round trip; a stale copy meets the ETag like any concurrent writer and is read again.
/// A unit written alone (a lone report, a batch's unit that met a concurrent writer) waits for this instance's other
/// writes of the unit (<see cref="UnitWriteLock"/>), so only writers on other instances collide with it; one that still
/// loses on every attempt fails with <see cref="WriteContentionException"/>, a refusal to retry, not a fault.
/// </summary>
public sealed partial class ReportWriter(
    ReportStore store,
    RevisionPlanner planner,
    OptimisticConcurrency concurrency,
    UnitStateCache cache,
    UnitWriteLock locks,
    UnitStateMapper stateMapper,
    ReportingClock clock,
    ILogger<ReportWriter> logger)
{
    private const int TransactionsInParallel = 8;

    private const int CountiesInParallel = 8;

    /// <summary>Up to this many submissions of one day are looked up one by one; more read the day's ids at once.</summary>
    private const int MaxSubmissionLookups = 4;

    public async Task<IReadOnlyList<ReportSave>> SaveAsync(IReadOnlyList<IncomingReport> reports, CancellationToken cancellationToken)
    {
        var run = new Run(reports, new ReportSave[reports.Count], clock.UtcNow, clock.Today);
        var units = Enumerable.Range(0, reports.Count)
            .GroupBy(i => reports[i].Report.UnitCode, StringComparer.Ordinal)
            .Select(g => new UnitWork(g.Key, g.ToList()))
            .ToList();
        if (units.Count == 1)
        {
            await WriteAloneAsync(run, units[0], cancellationToken);
            return run.Results;
        }

        var onTheirOwn = new List<UnitWork>();
        // Counties at once (a batch's block of rows spans several): one county's read and transactions do not wait for another's.
        await ForEachAsync(
            units.GroupBy(u => store.PartitionOf(u.UnitCode), StringComparer.Ordinal).ToList(), CountiesInParallel, cancellationToken,
            async (county, countyCancellation) =>
            {
                var plans = await PlanCountyAsync(run, county.Key, county.ToList(), countyCancellation);
                await ForEachAsync(Pack(plans), TransactionsInParallel, countyCancellation, (transaction, ct) => new ValueTask(WriteAsync(run, transaction, onTheirOwn, ct)));
            });

        await ForEachAsync(onTheirOwn, TransactionsInParallel, cancellationToken, (unit, ct) => new ValueTask(WriteAloneAsync(run, unit, ct)));
        return run.Results;
    }

    /// <summary>
    /// <see cref="Parallel.ForEachAsync{TSource}(IEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/>,
    /// but a lone item (a report: one county, one transaction, at most one unit left over) runs right here: the
    /// fan-out's worker tasks, thread-pool hops and lock are for a batch's many, and cost a lone report more than its planning.
    /// </summary>
    private static async Task ForEachAsync<T>(IReadOnlyList<T> items, int parallel, CancellationToken cancellationToken, Func<T, CancellationToken, ValueTask> body)
    {
        switch (items.Count)
        {
            case 0:
                return;
            case 1:
                cancellationToken.ThrowIfCancellationRequested();
                await body(items[0], cancellationToken);
                return;
            default:
                await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, body);
                return;
        }
    }

    /// <summary>
    /// Each unit's first plan: a lone unit's on its cached or read state row; several units' from one range read of the
    /// county's state rows (which the cache then keeps), and the revision ids of days the rows do not hold.
    /// </summary>
    private async Task<List<(UnitWork Unit, UnitPlan Plan)>> PlanCountyAsync(Run run, string county, List<UnitWork> units, CancellationToken cancellationToken)
    {
        if (units.Count == 1)
        {
            return [(units[0], await PlanAloneAsync(run, units[0], fresh: false, cancellationToken))];
        }

        var rows = await store.ReadStateRowsAsync(county, cancellationToken);
        var states = new Dictionary<string, UnitState>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            var state = stateMapper.FromRow(rows.GetValueOrDefault(unit.UnitCode) ?? UnitStateRow.None(unit.UnitCode));
            cache.Set(state);
            states[unit.UnitCode] = state;
        }

        UnitState StateOf(UnitWork unit) => states[unit.UnitCode];

        var toRead = units.ToDictionary(u => u, u => RevisionPlanner.DaysToRead(StateOf(u), run.Remaining(u), run.Today));
        var read = units.ToDictionary(u => u, _ => new Dictionary<DateOnly, IReadOnlyList<RevisionId>>());
        foreach (var date in toRead.Values.SelectMany(d => d).Distinct())
        {
            var readers = units.Where(u => toRead[u].Contains(date)).ToList();
            if (readers.Count == 1)
            {
                read[readers[0]][date] = await ReadDayIdsAsync(StateOf(readers[0]), run.Remaining(readers[0]), date, run.Today, cancellationToken);
                continue;
            }

            var day = await store.ReadDayRevisionIdsAsync(date, county, cancellationToken);
            foreach (var unit in readers)
            {
                read[unit][date] = day.GetValueOrDefault(unit.UnitCode) ?? [];
            }
        }

        return units.Select(u => (u, planner.Plan(StateOf(u), read[u], run.Remaining(u), run.ReceivedAt, run.Today))).ToList();
    }

    /// <summary>
    /// One transaction of several units' plans. A unit that met a concurrent writer continues on its own; a unit whose
    /// rows cannot be written gets the fault, and the others are written without it.
    /// </summary>
    private async Task WriteAsync(Run run, IReadOnlyList<(UnitWork Unit, UnitPlan Plan)> transaction, List<UnitWork> onTheirOwn, CancellationToken cancellationToken)
    {
        try
        {
            await CommitAsync(transaction, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var failed = e is TableTransactionFailedException { FailedTransactionActionIndex: { } action }
                ? ReportStore.PlanOfAction(transaction.Select(t => t.Plan).ToList(), action)
                : transaction.Count == 1 ? 0 : -1;
            if (failed >= 0)
            {
                var (unit, _) = transaction[failed];
                if (OptimisticConcurrency.IsConflict(e))
                {
                    Later(onTheirOwn, unit);
                }
                else
                {
                    LogUnitFailed(unit.UnitCode, e.GetType().Name, e.Message);
                    run.Fail(unit, e);
                }

                var others = transaction.Where((_, i) => i != failed).ToList();
                if (others.Count > 0)
                {
                    await WriteAsync(run, others, onTheirOwn, cancellationToken);
                }

                return;
            }

            if (OptimisticConcurrency.IsConflict(e))
            {
                LogConcurrentWriter(transaction.Count);
                foreach (var (unit, _) in transaction)
                {
                    Later(onTheirOwn, unit);
                }
            }
            else if (StorageFaults.IsOutage(e))
            {
                // Storage is down for all of them alike: splitting would only multiply the failing calls.
                foreach (var (unit, _) in transaction)
                {
                    run.Fail(unit, e);
                }
            }
            else
            {
                // A fault that names no row: each unit alone, so that only the one that cannot be written fails.
                LogSplit(transaction.Count, e.GetType().Name);
                await Task.WhenAll(transaction.Select(t => WriteAsync(run, [t], onTheirOwn, cancellationToken)));
            }

            return;
        }

        foreach (var (unit, plan) in transaction)
        {
            try
            {
                await CompleteAsync(run, unit, plan, cancellationToken);
                if (run.Remaining(unit).Count > 0)
                {
                    Later(onTheirOwn, unit);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                run.Fail(unit, e);
            }
        }
    }

    private static void Later(List<UnitWork> onTheirOwn, UnitWork unit)
    {
        lock (onTheirOwn)
        {
            onTheirOwn.Add(unit);
        }
    }

    /// <summary>
    /// The rest of one unit's reports, in this instance's turn for the unit: plan on its state (the cached row after a
    /// slice this instance wrote; read again after a conflict, which dropped it), write, as often as they need; a
    /// concurrent writer (another instance's, as this one's wait their turn) makes the slice start over.
    /// </summary>
    private async Task WriteAloneAsync(Run run, UnitWork unit, CancellationToken cancellationToken)
    {
        using var turn = await locks.AcquireAsync(unit.UnitCode, cancellationToken);
        try
        {
            while (run.Remaining(unit).Count > 0)
            {
                var attempt = 0;
                await concurrency.RunAsync(async ct =>
                {
                    // After a conflict, plan on a fresh read: the conflict dropped the copy, and a copy set since may
                    // be no newer than the one refused (the cache keeps the newer of two copies it holds, but not of
                    // one it dropped); 24 writers of one unit spent their attempts on such copies (a 409 answered 500).
                    var plan = await PlanAloneAsync(run, unit, fresh: attempt++ > 0, ct);
                    await CommitAsync([(unit, plan)], ct);
                    await CompleteAsync(run, unit, plan, ct);
                }, cancellationToken);
            }
        }
        catch (Exception e) when (OptimisticConcurrency.IsConflict(e) && !cancellationToken.IsCancellationRequested)
        {
            LogContended(unit.UnitCode, StoragePolicies.ConcurrencyRetries + 1);
            run.Fail(unit, new WriteContentionException(unit.UnitCode, e));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            run.Fail(unit, e);
        }
    }

    /// <summary>
    /// One unit's next plan, on this instance's copy of its state row if it has one, else on a read of the row. A plan
    /// that would write nothing (every report a replay) on a copy is made again on a fresh read: with no write, no ETag
    /// would refuse a stale copy, and a correction another instance stored meanwhile must not pass for a replay.
    /// </summary>
    private async Task<UnitPlan> PlanAloneAsync(Run run, UnitWork unit, bool fresh, CancellationToken cancellationToken)
    {
        var cached = !fresh && cache.TryGet(unit.UnitCode, out var row) ? row : null;
        var plan = await PlanOnAsync(run, unit, cached ?? await ReadStateRowAsync(unit.UnitCode, cancellationToken), cancellationToken);
        return cached is not null && plan.Actions == 0
            ? await PlanOnAsync(run, unit, await ReadStateRowAsync(unit.UnitCode, cancellationToken), cancellationToken)
            : plan;
    }

    private async Task<UnitState> ReadStateRowAsync(string unitCode, CancellationToken cancellationToken)
    {
        var state = stateMapper.FromRow(await store.ReadStateRowAsync(unitCode, cancellationToken));
        cache.Set(state);
        return state;
    }

    private async Task<UnitPlan> PlanOnAsync(Run run, UnitWork unit, UnitState state, CancellationToken cancellationToken)
    {
        var incoming = run.Remaining(unit);
        var read = new Dictionary<DateOnly, IReadOnlyList<RevisionId>>();
        foreach (var date in RevisionPlanner.DaysToRead(state, incoming, run.Today))
        {
            read[date] = await ReadDayIdsAsync(state, incoming, date, run.Today, cancellationToken);
        }

        return planner.Plan(state, read, incoming, run.ReceivedAt, run.Today);
    }

    /// <summary>
    /// Writes one transaction and keeps the cache true to it: each written state row with the ETag storage answered. On
    /// any failure the units' copies go: a conflict says another writer changed a row, and a fault may have come after the write.
    /// </summary>
    private async Task CommitAsync(IReadOnlyList<(UnitWork Unit, UnitPlan Plan)> transaction, CancellationToken cancellationToken)
    {
        IReadOnlyList<UnitState?> written;
        try
        {
            written = await store.CommitAsync(transaction.Select(t => t.Plan).ToList(), cancellationToken);
        }
        catch
        {
            foreach (var (unit, _) in transaction)
            {
                cache.Remove(unit.UnitCode);
            }

            throw;
        }

        for (var i = 0; i < transaction.Count; i++)
        {
            if (written[i] is { } row)
            {
                cache.Set(row);
            }
            else if (transaction[i].Plan.Next is not null)
            {
                cache.Remove(transaction[i].Unit.UnitCode);
            }
        }
    }

    /// <summary>
    /// The revision ids of a day the state row does not hold in full. A day it keeps but holds only the newest ids of
    /// (a day of many corrections) needs no more than the older revisions of the few submissions being replayed, if
    /// any: those, beside the ids the row keeps, and not the whole day.
    /// </summary>
    private async Task<IReadOnlyList<RevisionId>> ReadDayIdsAsync(
        UnitState state, IReadOnlyList<IncomingReport> incoming, DateOnly date, DateOnly today, CancellationToken cancellationToken)
    {
        var unitCode = state.UnitCode;
        var submissions = incoming.Where(r => r.Report.ReportDate == date).Select(r => r.Report.SubmissionId).OfType<string>().Distinct().ToList();
        if (!state.Knows(date, today) || submissions.Count > MaxSubmissionLookups)
        {
            return await store.ReadRevisionIdsAsync(unitCode, date, cancellationToken);
        }

        var ids = new List<RevisionId>(state.DayOf(date)?.Revisions ?? []);
        foreach (var submissionId in submissions)
        {
            ids.AddRange(await store.ReadRevisionIdsAsync(unitCode, date, cancellationToken, submissionId));
        }

        return ids.DistinctBy(r => r.Revision).OrderBy(r => r.Revision).ToList();
    }

    /// <summary>Records the outcomes of a written plan; a replay of a row not in the plan reads it.</summary>
    private async Task CompleteAsync(Run run, UnitWork unit, UnitPlan plan, CancellationToken cancellationToken)
    {
        var start = unit.Done;
        for (var k = 0; k < plan.Outcomes.Count; k++)
        {
            var outcome = plan.Outcomes[k];
            SaveResult saved;
            if (outcome.Stored is { } stored)
            {
                saved = new SaveResult(stored.Revision == 1 ? SaveOutcome.Created : SaveOutcome.Updated, stored);
            }
            else if (plan.Revisions.FirstOrDefault(r => r.Revision == outcome.Replayed) is { } replayed
                     && plan.Revisions.FirstOrDefault(r => r.Revision == outcome.Latest) is { } latest)
            {
                saved = new SaveResult(SaveOutcome.Unchanged, replayed, latest);
            }
            else
            {
                var report = run.Reports[unit.Indexes[start + k]].Report;
                saved = await store.ReplayResultAsync(report.UnitCode, report.ReportDate, outcome.Replayed, outcome.Latest, cancellationToken);
            }

            run.Results[unit.Indexes[start + k]] = new ReportSave(saved, null);
        }

        unit.Done = start + plan.Outcomes.Count;
    }

    /// <summary>Units' plans packed into transactions of at most <see cref="RevisionPlanner.MaxActions"/> rows.</summary>
    private static List<List<(UnitWork Unit, UnitPlan Plan)>> Pack(List<(UnitWork Unit, UnitPlan Plan)> plans)
    {
        var transactions = new List<List<(UnitWork, UnitPlan)>>();
        var current = new List<(UnitWork, UnitPlan)>();
        var size = 0;
        foreach (var plan in plans)
        {
            if (size + plan.Plan.Actions > RevisionPlanner.MaxActions)
            {
                transactions.Add(current);
                current = [];
                size = 0;
            }

            current.Add(plan);
            size += plan.Plan.Actions;
        }

        if (current.Count > 0)
        {
            transactions.Add(current);
        }

        return transactions;
    }

    /// <summary>One unit's reports (their indexes in the call, in order) and how many of them have an outcome.</summary>
    private sealed class UnitWork(string unitCode, List<int> indexes)
    {
        public string UnitCode { get; } = unitCode;

        public List<int> Indexes { get; } = indexes;

        public int Done { get; set; }
    }

    private sealed record Run(IReadOnlyList<IncomingReport> Reports, ReportSave[] Results, DateTimeOffset ReceivedAt, DateOnly Today)
    {
        public IReadOnlyList<IncomingReport> Remaining(UnitWork unit) => unit.Indexes.Skip(unit.Done).Select(i => Reports[i]).ToList();

        /// <summary>The unit's reports left undone carry the fault: a later one must not overtake the one it corrects.</summary>
        public void Fail(UnitWork unit, Exception error)
        {
            foreach (var index in unit.Indexes.Skip(unit.Done))
            {
                Results[index] = new ReportSave(null, error);
            }

            unit.Done = unit.Indexes.Count;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A grouped write of {Units} units met a concurrent writer; they go on one unit at a time")]
    private partial void LogConcurrentWriter(int units);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A grouped write of {Units} units failed ({ExceptionType}); writing each unit alone")]
    private partial void LogSplit(int units, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reports of unit {UnitCode} lost to concurrent writers on all {Attempts} attempts; refused as retriable")]
    private partial void LogContended(string unitCode, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reports of unit {UnitCode} could not be written: {ExceptionType}: {Reason}")]
    private partial void LogUnitFailed(string unitCode, string exceptionType, string reason);
}
