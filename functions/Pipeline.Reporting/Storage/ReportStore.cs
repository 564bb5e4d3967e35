using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Report revisions in Table Storage, one partition per county (see <see cref="ReportKeys"/>). A revision row is
/// only ever added, never changed, and it is written in one entity-group transaction with its unit's state row,
/// guarded by the ETag the writer read: two corrections racing for a unit collide, and the loser reads again and
/// takes the next number. None is lost, and the state a submission reads never disagrees with the revisions.
/// </summary>
public sealed partial class ReportStore(
    StorageTables tables,
    ReportEntityMapper mapper,
    UnitStateMapper stateMapper,
    UnitRegistry units,
    ReportingClock clock,
    ILogger<ReportStore> logger)
{
    private const int MaxAttempts = 20;
    private static readonly string[] RevisionIdProperties = ["revision", "submissionId", "contentHash"];

    /// <summary>
    /// What a submission for <paramref name="unitCode"/> on <paramref name="date"/> needs: the unit's state (one
    /// point read), and from it the day's revisions and up to <paramref name="historyDays"/> days before.
    /// </summary>
    public async Task<UnitWindow> ReadWindowAsync(string unitCode, DateOnly date, int historyDays, CancellationToken cancellationToken)
    {
        var state = await ReadStateAsync(unitCode, cancellationToken);
        var kept = state.Knows(date, clock.Today);
        var dayRevisions = kept
            ? state.DayOf(date)?.Revisions ?? []
            : await ReadRevisionIdsAsync(unitCode, date, cancellationToken);
        return new UnitWindow(state, date, kept, dayRevisions, state.HistoryBefore(date, historyDays));
    }

    /// <summary>
    /// Stores <paramref name="draft"/> as the next revision, or recognises it as a replay. <paramref name="window"/>
    /// is what the caller read; when another writer got there first, the store reads again and retries.
    /// </summary>
    public async Task<SaveResult> SaveAsync(RevisionDraft draft, UnitWindow window, CancellationToken cancellationToken)
    {
        var report = draft.Report;
        for (var attempt = 1; ; attempt++)
        {
            if (window.ReplayOf(report.SubmissionId, draft.ContentHash) is { } replay)
            {
                return await ReplayResultAsync(report.UnitCode, report.ReportDate, replay.Revision, window.LatestRevision, cancellationToken);
            }

            var stored = Revision(draft, window.LatestRevision + 1);
            try
            {
                await WriteAsync(window, stored, cancellationToken);
                return new SaveResult(stored.Revision == 1 ? SaveOutcome.Created : SaveOutcome.Updated, stored);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                LogRevisionRace(report.UnitCode, report.ReportDate, stored.Revision, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
                window = await ReadWindowAsync(report.UnitCode, report.ReportDate, 0, cancellationToken);
            }
        }
    }

    /// <summary>A new revision's row: the draft with its number and receipt.</summary>
    public static StoredReport Revision(RevisionDraft draft, int revision)
    {
        var report = draft.Report;
        return new StoredReport(
            report.UnitCode, report.ReportDate, revision, report.SubmissionId, report.Values,
            report.Notes, report.ReporterName, report.ReporterPhone, draft.ReceivedAt, draft.Late,
            ReportFingerprint.Receipt(report.UnitCode, report.ReportDate, revision, draft.ContentHash),
            draft.Warnings, draft.ContentHash, draft.SubmittedBy, draft.SubmitterRole);
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

    /// <summary>
    /// The revision row and, for a day the state row keeps, the state row in one transaction, on the condition that
    /// the state row is still the one read (409 or 412 otherwise). A day older than the state keeps is the revision
    /// alone, insert-only.
    /// </summary>
    private async Task WriteAsync(UnitWindow window, StoredReport stored, CancellationToken cancellationToken)
    {
        var partition = PartitionOf(stored.UnitCode);
        var revisionRow = mapper.ToEntity(stored, partition, ReportKeys.RevisionRow(stored.ReportDate, stored.UnitCode, stored.Revision));
        if (!window.Kept)
        {
            await tables.Reports.AddEntityAsync(revisionRow, cancellationToken);
            return;
        }

        await tables.Reports.SubmitTransactionAsync(
            [new TableTransactionAction(TableTransactionActionType.Add, revisionRow), StateAction(window.State, window.State.With(stored, clock.Today), partition)],
            cancellationToken);
    }

    /// <summary>Adds a unit's first state row, or replaces the one read, if it is still the one read.</summary>
    public TableTransactionAction StateAction(UnitState read, UnitState next, string partition) => read.Exists
        ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, stateMapper.ToEntity(next, partition), read.ETag)
        : new TableTransactionAction(TableTransactionActionType.Add, stateMapper.ToEntity(next, partition));

    /// <summary>One entity-group transaction on the reports table, for writers that group many units of a county.</summary>
    public Task SubmitAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken) =>
        tables.Reports.SubmitTransactionAsync(actions, cancellationToken);

    public TableEntity RevisionEntity(StoredReport stored, string partition) =>
        mapper.ToEntity(stored, partition, ReportKeys.RevisionRow(stored.ReportDate, stored.UnitCode, stored.Revision));

    public async Task<UnitState> ReadStateAsync(string unitCode, CancellationToken cancellationToken)
    {
        var entity = await tables.Reports.GetEntityIfExistsAsync<TableEntity>(PartitionOf(unitCode), ReportKeys.UnitRow(unitCode), cancellationToken: cancellationToken);
        return entity.HasValue ? stateMapper.FromEntity(entity.Value!) : UnitState.New(unitCode);
    }

    /// <summary>The state rows of every unit of a county that has reported, in one range read: for batches.</summary>
    public async Task<Dictionary<string, UnitState>> ReadStatesAsync(string countyCode, CancellationToken cancellationToken)
    {
        var (from, to) = ReportKeys.UnitRange();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {countyCode} and RowKey ge {from} and RowKey lt {to}");
        var states = new Dictionary<string, UnitState>(StringComparer.Ordinal);
        await foreach (var entity in tables.Reports.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var state = stateMapper.FromEntity(entity);
            states[state.UnitCode] = state;
        }

        return states;
    }

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

    private async Task<IReadOnlyList<RevisionId>> ReadRevisionIdsAsync(string unitCode, DateOnly date, CancellationToken cancellationToken)
    {
        var ids = new List<RevisionId>();
        await foreach (var entity in tables.Reports.QueryAsync<TableEntity>(
            UnitDayFilter(unitCode, date), select: RevisionIdProperties, cancellationToken: cancellationToken))
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
    public async IAsyncEnumerable<StoredReport> ReadDayAsync(
        DateOnly date, string countyCode, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (table, filter) = DayQuery(date, countyCode);
        TableEntity? newest = null;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (newest is not null && newest.GetString("unitCode") != entity.GetString("unitCode"))
            {
                yield return mapper.FromEntity(newest);
            }

            newest = entity;
        }

        if (newest is not null)
        {
            yield return mapper.FromEntity(newest);
        }
    }

    /// <summary>The table and filter that <see cref="ReadDayAsync"/> reads: for benchmarks that scan the same rows raw.</summary>
    public (TableClient Table, string Filter) DayQuery(DateOnly date, string countyCode)
    {
        var (from, to) = ReportKeys.DayRange(date);
        return (tables.Reports, TableClient.CreateQueryFilter($"PartitionKey eq {countyCode} and RowKey ge {from} and RowKey lt {to}"));
    }

    /// <summary>The (unit, revision) of every revision of a county's day written at or after <paramref name="since"/> (storage time).</summary>
    public async IAsyncEnumerable<(string UnitCode, int Revision)> WrittenSinceAsync(
        DateOnly date, string countyCode, DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (table, filter) = DayQuery(date, countyCode);
        filter += " and " + TableClient.CreateQueryFilter($"Timestamp ge {since}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["unitCode", "revision"], cancellationToken: cancellationToken))
        {
            yield return (entity.GetString("unitCode") ?? "", entity.GetInt32("revision") ?? 0);
        }
    }

    /// <summary>The county partition a unit's rows live in.</summary>
    public string PartitionOf(string unitCode) =>
        units.CountyOf(unitCode)?.Code ?? throw new InvalidOperationException($"Unit {unitCode} has no county.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Revision {Revision} of {UnitCode} on {ReportDate} was taken by a concurrent write (attempt {Attempt}); retrying")]
    private partial void LogRevisionRace(string unitCode, DateOnly reportDate, int revision, int attempt);
}
