using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Report revisions in Table Storage, one partition per county (see <see cref="ReportKeys"/>): reads, and the
/// transactions that write what <see cref="RevisionPlanner"/> planned. A revision row is only ever added, never
/// changed, and it is written in one entity-group transaction with its unit's state row, guarded by the ETag the
/// writer read: two corrections racing for a unit collide, and the loser (<see cref="ReportWriter"/>) reads again
/// and takes the next number. None is lost, and the state a submission reads never disagrees with the revisions.
/// </summary>
public sealed class ReportStore(
    StorageTables tables,
    ReportEntityMapper mapper,
    UnitStateMapper stateMapper,
    UnitRegistry units)
{
    private static readonly string[] RevisionIdProperties = ["revision", "submissionId", "contentHash"];

    /// <summary>Maps the rows of <see cref="ReadDaysForRollupAsync"/>, which the caller maps one by one into its own buffers.</summary>
    public ReportEntityMapper Mapper => mapper;

    /// <summary>
    /// Writes plans of units of one county in one entity-group transaction: each unit's new revision rows (insert-only),
    /// and its state row on the ETag it was read with (a first state row insert-only); nothing else. Any unit's row that
    /// meets a concurrent writer fails the whole transaction with 409 or 412 and writes nothing.
    /// </summary>
    /// <returns>For each plan, its unit's state as now stored, with the ETag storage answered; null when the plan wrote none.</returns>
    public async Task<IReadOnlyList<UnitState?>> CommitAsync(IReadOnlyList<UnitPlan> plans, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>();
        var stateActions = new (int Action, UnitState Stored)?[plans.Count];
        string? partition = null;
        for (var i = 0; i < plans.Count; i++)
        {
            var plan = plans[i];
            partition = PartitionOf(plan.Read.UnitCode);
            foreach (var revision in plan.Revisions)
            {
                var rowKey = ReportKeys.RevisionRow(revision.ReportDate, revision.UnitCode, revision.Revision);
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, mapper.ToEntity(revision, partition, rowKey)));
            }

            if (plan.Next is { } next)
            {
                var (entity, stored) = stateMapper.ToStored(next, partition);
                stateActions[i] = (actions.Count, stored);
                actions.Add(plan.Read.Exists
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, plan.Read.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, entity));
            }
        }

        if (actions.Count == 0)
        {
            return new UnitState?[plans.Count];
        }

        var responses = (await tables.Reports.SubmitTransactionAsync(actions, cancellationToken)).Value;
        return stateActions.Select(written => written is var (action, stored) && action < responses.Count && responses[action].Headers.ETag is { } etag
            ? stored with { ETag = etag }
            : null).ToList();
    }

    /// <summary>The index of the plan in <paramref name="plans"/> whose row is action <paramref name="action"/> of their transaction.</summary>
    public static int PlanOfAction(IReadOnlyList<UnitPlan> plans, int action)
    {
        for (var i = 0; i < plans.Count; i++)
        {
            action -= plans[i].Actions;
            if (action < 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The answer to a replay: the revision it repeats, and the newest revision of the day.</summary>
    public async Task<SaveResult> ReplayResultAsync(string unitCode, DateOnly date, int replayed, int latest, CancellationToken cancellationToken)
    {
        var reports = await Task.WhenAll(
            ReadRevisionAsync(unitCode, date, replayed, cancellationToken),
            replayed == latest ? Task.FromResult<StoredReport?>(null) : ReadRevisionAsync(unitCode, date, latest, cancellationToken));
        var report = reports[0] ?? throw new InvalidOperationException($"Revision {replayed} of {unitCode} on {date} is missing.");
        return new SaveResult(SaveOutcome.Unchanged, report, reports[1] ?? report);
    }

    /// <summary>A unit's state row as stored (<see cref="UnitStateRow.None"/> for a unit that has none yet): one point read.</summary>
    public async Task<UnitStateRow> ReadStateRowAsync(string unitCode, CancellationToken cancellationToken)
    {
        var entity = await tables.Reports.GetEntityIfExistsAsync<TableEntity>(PartitionOf(unitCode), ReportKeys.UnitRow(unitCode), cancellationToken: cancellationToken);
        return entity.HasValue ? stateMapper.RowOf(entity.Value!) : UnitStateRow.None(unitCode);
    }

    /// <summary>The state rows of every unit of a county that has reported, in one range read: for batches.</summary>
    public async Task<Dictionary<string, UnitStateRow>> ReadStateRowsAsync(string countyCode, CancellationToken cancellationToken)
    {
        var (from, to) = ReportKeys.UnitRange();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {countyCode} and RowKey ge {from} and RowKey lt {to}");
        var rows = new Dictionary<string, UnitStateRow>(StringComparer.Ordinal);
        await foreach (var entity in tables.Reports.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var row = stateMapper.RowOf(entity);
            rows[row.UnitCode] = row;
        }

        return rows;
    }

    /// <summary>The state of every unit of a county that has reported, in one range read.</summary>
    public async Task<Dictionary<string, UnitState>> ReadStatesAsync(string countyCode, CancellationToken cancellationToken) =>
        (await ReadStateRowsAsync(countyCode, cancellationToken)).ToDictionary(r => r.Key, r => stateMapper.FromRow(r.Value), StringComparer.Ordinal);

    public async Task<StoredReport?> ReadRevisionAsync(string unitCode, DateOnly date, int revision, CancellationToken cancellationToken)
    {
        var entity = await tables.Reports.GetEntityIfExistsAsync<TableEntity>(
            PartitionOf(unitCode), ReportKeys.RevisionRow(date, unitCode, revision), cancellationToken: cancellationToken);
        return entity.HasValue ? mapper.FromEntity(entity.Value!) : null;
    }

    /// <summary>Every revision of one unit's report for one day, oldest first.</summary>
    public async Task<IReadOnlyList<StoredReport>> GetRevisionsAsync(string unitCode, DateOnly date, CancellationToken cancellationToken)
    {
        var revisions = new List<StoredReport>();
        await foreach (var entity in tables.Reports.QueryAsync<TableEntity>(UnitDayFilter(unitCode, date), cancellationToken: cancellationToken))
        {
            revisions.Add(mapper.FromEntity(entity));
        }

        return revisions.OrderBy(r => r.Revision).ToList();
    }

    /// <summary>Every revision id of one unit's day, oldest first: for a day its state row does not hold in full.</summary>
    /// <param name="submissionId">Only the revisions of this submission (the range is still scanned, but by storage, and little comes back).</param>
    public async Task<IReadOnlyList<RevisionId>> ReadRevisionIdsAsync(string unitCode, DateOnly date, CancellationToken cancellationToken, string? submissionId = null)
    {
        var filter = UnitDayFilter(unitCode, date);
        if (submissionId is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"submissionId eq {submissionId}");
        }

        var ids = new List<RevisionId>();
        await foreach (var entity in tables.Reports.QueryAsync<TableEntity>(filter, select: RevisionIdProperties, cancellationToken: cancellationToken))
        {
            ids.Add(RevisionIdOf(entity));
        }

        return ids.OrderBy(r => r.Revision).ToList();
    }

    /// <summary>The revision ids of every unit of a county on one day, in one range read: for a batch's old days.</summary>
    public async Task<Dictionary<string, List<RevisionId>>> ReadDayRevisionIdsAsync(DateOnly date, string countyCode, CancellationToken cancellationToken)
    {
        var (table, filter) = DayQuery(date, countyCode);
        var ids = new Dictionary<string, List<RevisionId>>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: [.. RevisionIdProperties, "unitCode"], cancellationToken: cancellationToken))
        {
            var unit = entity.GetString("unitCode") ?? "";
            (ids.TryGetValue(unit, out var list) ? list : ids[unit] = []).Add(RevisionIdOf(entity));
        }

        foreach (var list in ids.Values)
        {
            list.Sort((a, b) => a.Revision.CompareTo(b.Revision));
        }

        return ids;
    }

    private static RevisionId RevisionIdOf(TableEntity entity) =>
        new(entity.GetInt32("revision") ?? 0, entity.GetString("submissionId"), entity.GetString("contentHash") ?? "");

    private string UnitDayFilter(string unitCode, DateOnly date)
    {
        var (from, to) = ReportKeys.UnitDayRange(date, unitCode);
        return TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(unitCode)} and RowKey ge {from} and RowKey lt {to}");
    }

    /// <summary>
    /// The newest revision of every unit of one county that reported on <paramref name="date"/>, one range read.
    /// Rows come in key order, so a unit's revisions arrive together, oldest first; only the newest is mapped.
    /// </summary>
    public async IAsyncEnumerable<StoredReport> ReadDayAsync(DateOnly date, string countyCode, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in NewestAsync<TableEntity>(tables.Reports, date, date, countyCode, null, null, cancellationToken))
        {
            yield return mapper.FromEntity(entity);
        }
    }

    /// <summary>
    /// The current revision of every unit of a county on each day of [<paramref name="from"/>, <paramref name="to"/>], in
    /// one range read (the days' key ranges are adjacent): day by day, each day's units in code order; only the properties a
    /// rollup reads (<see cref="ReportEntityMapper.RollupProperties"/>), without OData metadata (<see cref="StorageTables.ReportsWithoutMetadata"/>):
    /// fewer bytes for the storage to serialise and the client to parse. The rows are the client's properties as it hands
    /// them over (<see cref="RollupRow"/>), for <see cref="ReportEntityMapper.ReadRollupRow"/>; each lives until the next.
    /// </summary>
    /// <param name="written">Counts the rows of <paramref name="to"/> read that storage stamped since its time (what a build records).</param>
    public IAsyncEnumerable<RollupRow> ReadDaysForRollupAsync(
        DateOnly from, DateOnly to, string countyCode, CancellationToken cancellationToken, RevisionCount? written = null) =>
        NewestAsync<RollupRow>(tables.ReportsWithoutMetadata, from, to, countyCode,
            written is null ? mapper.RollupProperties : [.. mapper.RollupProperties, "Timestamp"], written, cancellationToken);

    /// <summary>Rows come in key order, so a unit's revisions of a day arrive together, oldest first; only the newest is handed on.</summary>
    private async IAsyncEnumerable<TRow> NewestAsync<TRow>(
        TableClient table, DateOnly from, DateOnly to, string countyCode, IReadOnlyList<string>? select, RevisionCount? written,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where TRow : class, ITableEntity, new()
    {
        var filter = DayQuery(from, to, countyCode).Filter;
        var lastDay = ReportKeys.Day(to);
        TRow? newest = null;
        await foreach (var row in table.QueryAsync<TRow>(filter, select: select, cancellationToken: cancellationToken))
        {
            // The row's key says its day, unit and number (ReportKeys.RevisionRow), as its properties do.
            if (written is not null && ReportKeys.DayTextOfRevisionRow(row.RowKey).SequenceEqual(lastDay))
            {
                written.Saw(row.Timestamp);
            }

            if (newest is not null && !ReportKeys.UnitDayOfRevisionRow(newest.RowKey).SequenceEqual(ReportKeys.UnitDayOfRevisionRow(row.RowKey)))
            {
                yield return newest;
            }

            newest = row;
        }

        if (newest is not null)
        {
            yield return newest;
        }
    }

    /// <summary>
    /// Azure refuses a filter of more than 15 comparisons: the partition's, and three for each day (its key range and
    /// its time), so four days a query.
    /// </summary>
    private const int DaysPerCountQuery = 4;

    /// <summary>
    /// How many revisions of a county each day of <paramref name="days"/> holds that storage stamped at or after that
    /// day's time (all of the day's revisions for a day without one), RowKeys only, a query per four days: what a
    /// rollup's stale check compares with the <see cref="RevisionCount"/> of its build.
    /// </summary>
    public async Task<Dictionary<DateOnly, int>> CountRevisionsSinceAsync(
        IReadOnlyList<(DateOnly Day, DateTimeOffset? Since)> days, string countyCode, CancellationToken cancellationToken)
    {
        var counts = days.ToDictionary(d => d.Day, _ => 0);
        foreach (var chunk in days.Chunk(DaysPerCountQuery))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {countyCode}") + " and (" + string.Join(" or ", chunk.Select(d =>
            {
                var (from, to) = ReportKeys.DayRange(d.Day);
                return d.Since is { } since
                    ? TableClient.CreateQueryFilter($"(RowKey ge {from} and RowKey lt {to} and Timestamp ge {since})")
                    : TableClient.CreateQueryFilter($"(RowKey ge {from} and RowKey lt {to})");
            })) + ")";
            await foreach (var entity in tables.Reports.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
            {
                counts[ReportKeys.DayOfRevisionRow(entity.RowKey)]++;
            }
        }

        return counts;
    }

    private (TableClient Table, string Filter) DayQuery(DateOnly date, string countyCode) => DayQuery(date, date, countyCode);

    private (TableClient Table, string Filter) DayQuery(DateOnly first, DateOnly last, string countyCode)
    {
        var (from, _) = ReportKeys.DayRange(first);
        var (_, to) = ReportKeys.DayRange(last);
        return (tables.Reports, TableClient.CreateQueryFilter($"PartitionKey eq {countyCode} and RowKey ge {from} and RowKey lt {to}"));
    }

    /// <summary>The county partition a unit's rows live in.</summary>
    public string PartitionOf(string unitCode) =>
        units.CountyOf(unitCode)?.Code ?? throw new InvalidOperationException($"Unit {unitCode} has no county.");

}
