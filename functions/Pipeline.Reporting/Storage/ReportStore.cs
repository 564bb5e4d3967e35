using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Report revisions in Table Storage. The revisions table is the record: a revision row is only ever
/// added, never changed, so two corrections racing for the same number collide on insert and the loser
/// retries with the next number; none is lost. The current table is a projection of the newest
/// revision per (day, unit), kept with ETag-guarded updates, for the rollup's partition scans.
/// </summary>
public sealed partial class ReportStore(
    StorageTables tables,
    ReportEntityMapper mapper,
    UnitRegistry units,
    ProjectionRepairQueue repairs,
    ILogger<ReportStore> logger)
{
    private const int MaxAttempts = 20;

    /// <param name="knownRevisions">The day's revisions as just read (by <see cref="ReadWindowAsync"/>), saving a read on the first attempt.</param>
    public async Task<SaveResult> SaveAsync(RevisionDraft draft, CancellationToken cancellationToken, IReadOnlyList<StoredReport>? knownRevisions = null)
    {
        var saved = await SaveRevisionAsync(draft, cancellationToken, knownRevisions);
        await ProjectOrQueueRepairAsync(saved.Current, cancellationToken);
        return saved;
    }

    /// <summary>
    /// <see cref="SaveAsync"/> without moving the current projection: for batches, which move the projection
    /// of many rows at once with <see cref="ProjectCurrentAsync(IEnumerable{StoredReport}, CancellationToken)"/>.
    /// </summary>
    public async Task<SaveResult> SaveRevisionAsync(RevisionDraft draft, CancellationToken cancellationToken, IReadOnlyList<StoredReport>? knownRevisions = null)
    {
        var report = draft.Report;
        for (var attempt = 1; ; attempt++)
        {
            var existing = attempt == 1 && knownRevisions is not null
                ? knownRevisions
                : await GetRevisionsAsync(report.UnitCode, report.ReportDate, cancellationToken);
            // A replay is the same submission with the same content. A reused submissionId with other content
            // (a client that keeps one id per form, or a hand-made curl) is a correction, so nothing is lost.
            var replayed = report.SubmissionId is null
                ? null
                : existing.LastOrDefault(r => r.SubmissionId == report.SubmissionId && r.ContentHash == draft.ContentHash);
            var latest = existing.Count > 0 ? existing[^1] : null;
            if (replayed is not null || latest?.ContentHash == draft.ContentHash)
            {
                return new SaveResult(SaveOutcome.Unchanged, replayed ?? latest!, latest);
            }

            var revision = (latest?.Revision ?? 0) + 1;
            var stored = new StoredReport(
                report.UnitCode, report.ReportDate, revision, report.SubmissionId, report.Values,
                report.Notes, report.ReporterName, report.ReporterPhone, draft.ReceivedAt, draft.Late,
                ReportFingerprint.Receipt(report.UnitCode, report.ReportDate, revision, draft.ContentHash),
                draft.Warnings, draft.ContentHash, draft.SubmittedBy);
            try
            {
                await tables.Revisions.AddEntityAsync(
                    mapper.ToEntity(stored, report.UnitCode, ReportKeys.RevisionRow(report.ReportDate, revision)),
                    cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < MaxAttempts)
            {
                LogRevisionRace(report.UnitCode, report.ReportDate, revision, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
                continue;
            }

            return new SaveResult(revision == 1 ? SaveOutcome.Created : SaveOutcome.Updated, stored);
        }
    }

    /// <summary>Every revision of one unit's report for one day, oldest first.</summary>
    public async Task<IReadOnlyList<StoredReport>> GetRevisionsAsync(string unitCode, DateOnly date, CancellationToken cancellationToken)
    {
        var (from, to) = ReportKeys.RevisionRange(date);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {unitCode} and RowKey ge {from} and RowKey lt {to}");
        var revisions = new List<StoredReport>();
        await foreach (var entity in tables.Revisions.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            revisions.Add(mapper.FromEntity(entity));
        }

        return revisions.OrderBy(r => r.Revision).ToList();
    }

    /// <summary>
    /// One range read of the unit's partition: every revision of <paramref name="date"/>, and the newest revision
    /// of each of the <paramref name="days"/> before it (newest day first) for the soft rules.
    /// </summary>
    public async Task<UnitWindow> ReadWindowAsync(string unitCode, DateOnly date, int days, CancellationToken cancellationToken)
    {
        var from = ReportKeys.Day(date.AddDays(-days));
        var (_, to) = ReportKeys.RevisionRange(date);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {unitCode} and RowKey ge {from} and RowKey lt {to}");
        var revisions = new List<StoredReport>();
        var newestPerDay = new Dictionary<DateOnly, StoredReport>();
        await foreach (var entity in tables.Revisions.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var report = mapper.FromEntity(entity);
            if (report.ReportDate == date)
            {
                revisions.Add(report);
            }
            else if (!newestPerDay.TryGetValue(report.ReportDate, out var seen) || seen.Revision < report.Revision)
            {
                newestPerDay[report.ReportDate] = report;
            }
        }

        return new UnitWindow(
            revisions.OrderBy(r => r.Revision).ToList(),
            newestPerDay.Values.OrderByDescending(r => r.ReportDate).ToList());
    }

    /// <summary>The current revision of every unit of one county that reported on <paramref name="date"/>.</summary>
    public async IAsyncEnumerable<StoredReport> ReadDayAsync(
        DateOnly date, string countyCode, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (table, filter) = DayQuery(date, countyCode);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return mapper.FromEntity(entity);
        }
    }

    /// <summary>The table and filter that <see cref="ReadDayAsync"/> reads: for benchmarks that scan the same rows raw.</summary>
    public (TableClient Table, string Filter) DayQuery(DateOnly date, string countyCode) =>
        (tables.Current, TableClient.CreateQueryFilter($"PartitionKey eq {ReportKeys.CurrentPartition(date, countyCode)}"));

    /// <summary>
    /// Moves the current projection forward for many revisions at once: per county+day partition one read and
    /// entity-group transactions of up to 100 ETag-guarded writes. A transaction that meets a concurrent writer
    /// changes nothing and falls back to one guarded write per unit, so the projection still only moves forward.
    /// </summary>
    public async Task ProjectCurrentAsync(IEnumerable<StoredReport> revisions, CancellationToken cancellationToken)
    {
        var all = revisions.ToList();
        try
        {
            await ProjectGroupedAsync(all, cancellationToken);
        }
        catch (Exception e) when (StorageFaults.IsOutage(e))
        {
            foreach (var revision in all)
            {
                repairs.Enqueue(revision);
            }

            throw;
        }
    }

    private async Task ProjectGroupedAsync(IReadOnlyList<StoredReport> revisions, CancellationToken cancellationToken)
    {
        var newest = revisions.GroupBy(r => (r.UnitCode, r.ReportDate)).Select(g => g.MaxBy(r => r.Revision)!);
        foreach (var partition in newest.GroupBy(r => CurrentPartition(r)))
        {
            var existing = new Dictionary<string, (int Revision, ETag ETag)>(StringComparer.Ordinal);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition.Key}");
            await foreach (var entity in tables.Current.QueryAsync<TableEntity>(filter, select: ["RowKey", "revision"], cancellationToken: cancellationToken))
            {
                existing[entity.RowKey] = (entity.GetInt32("revision") ?? 0, entity.ETag);
            }

            var behind = partition.Where(r => !existing.TryGetValue(r.UnitCode, out var current) || current.Revision < r.Revision);
            foreach (var chunk in behind.Chunk(100))
            {
                var actions = chunk.Select(r => existing.TryGetValue(r.UnitCode, out var current)
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, mapper.ToEntity(r, partition.Key, r.UnitCode), current.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, mapper.ToEntity(r, partition.Key, r.UnitCode)));
                try
                {
                    await tables.Current.SubmitTransactionAsync(actions, cancellationToken);
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    foreach (var revision in chunk)
                    {
                        await ProjectAsync(revision, cancellationToken);
                    }
                }
            }
        }
    }

    private string CurrentPartition(StoredReport revision) =>
        ReportKeys.CurrentPartition(revision.ReportDate, units.CountyOf(revision.UnitCode)?.Code
            ?? throw new InvalidOperationException($"Unit {revision.UnitCode} has no county."));

    /// <summary>
    /// The revision is stored; if storage fails before the projection follows, the caller still gets the fault
    /// (503: it will retry), and the projection is queued for repair so the rollup does not lag behind.
    /// </summary>
    private async Task ProjectOrQueueRepairAsync(StoredReport revision, CancellationToken cancellationToken)
    {
        try
        {
            await ProjectAsync(revision, cancellationToken);
        }
        catch (Exception e) when (StorageFaults.IsOutage(e))
        {
            repairs.Enqueue(revision);
            throw;
        }
    }

    /// <summary>Moves the current projection forward to <paramref name="revision"/> unless it is already there or beyond.</summary>
    public async Task ProjectAsync(StoredReport revision, CancellationToken cancellationToken)
    {
        var partition = CurrentPartition(revision);
        if (revision.Revision == 1 && await TryAddFirstAsync(revision, partition, cancellationToken))
        {
            return;
        }

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await tables.Current.GetEntityIfExistsAsync<TableEntity>(
                partition, revision.UnitCode, ["revision"], cancellationToken);
            if (current.HasValue && (current.Value!.GetInt32("revision") ?? 0) >= revision.Revision)
            {
                return;
            }

            var entity = mapper.ToEntity(revision, partition, revision.UnitCode);
            try
            {
                if (current.HasValue)
                {
                    await tables.Current.UpdateEntityAsync(entity, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await tables.Current.AddEntityAsync(entity, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another writer moved the projection first; look again and move it only forward.
            }
        }

        throw new InvalidOperationException($"Could not update the current report of {revision.UnitCode} on {revision.ReportDate}.");
    }

    /// <summary>A first revision usually finds no projection yet: add it without reading first.</summary>
    private async Task<bool> TryAddFirstAsync(StoredReport revision, string partition, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Current.AddEntityAsync(mapper.ToEntity(revision, partition, revision.UnitCode), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Revision {Revision} of {UnitCode} on {ReportDate} was taken by a concurrent write (attempt {Attempt}); retrying")]
    private partial void LogRevisionRace(string unitCode, DateOnly reportDate, int revision, int attempt);
}
