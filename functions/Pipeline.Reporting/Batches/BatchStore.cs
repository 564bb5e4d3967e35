using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Batches;

/// <summary>
/// Batches in storage. Table <c>batches</c>: PartitionKey batch id; RowKey <c>batch</c> holds the batch,
/// RowKeys <c>page_...</c> its row results a page at a time (<see cref="BatchResultPages"/>). Payloads too
/// large for a queue message wait in the container <c>batch-payloads</c> until the batch is complete.
/// </summary>
public sealed class BatchStore(StorageTables tables, StorageClients clients)
{
    public const string QueueName = "report-submissions";
    public const string PoisonQueueName = QueueName + "-poison";
    public const string PayloadContainer = "batch-payloads";
    private const string HeaderRow = "batch";

    public QueueClient Queue { get; } = clients.Queues.GetQueueClient(QueueName);

    public QueueClient PoisonQueue { get; } = clients.Queues.GetQueueClient(PoisonQueueName);

    public BlobContainerClient Payloads { get; } = clients.Blobs.GetBlobContainerClient(PayloadContainer);

    private TableClient Table => tables.Batches;

    public static bool IsBatchId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    public async Task CreateAsync(BatchInfo batch, CancellationToken cancellationToken) =>
        await Table.AddEntityAsync(new TableEntity(batch.BatchId, HeaderRow)
        {
            ["status"] = batch.Status.ToString(),
            ["format"] = batch.Format.ToString(),
            ["total"] = batch.Total,
            ["submittedBy"] = batch.Submitter.TokenId,
            ["role"] = batch.Submitter.Role.ToString(),
            ["scope"] = batch.Submitter.Scope,
            ["createdAt"] = batch.CreatedAt,
            ["payloadBlob"] = batch.PayloadBlob,
        }, cancellationToken);

    public async Task<BatchInfo?> GetAsync(string batchId, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<TableEntity>(batchId, HeaderRow, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        var e = found.Value!;
        return new BatchInfo(
            batchId,
            Enum.Parse<BatchStatus>(e.GetString("status")),
            Enum.Parse<BatchFormat>(e.GetString("format")),
            e.GetInt32("total") ?? 0,
            new Caller(e.GetString("submittedBy"), Enum.Parse<Role>(e.GetString("role")), e.GetString("scope")),
            e.GetDateTimeOffset("createdAt") ?? DateTimeOffset.MinValue,
            e.GetDateTimeOffset("completedAt"),
            e.GetString("payloadBlob"));
    }

    public async Task SetStatusAsync(string batchId, BatchStatus status, DateTimeOffset? completedAt, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(batchId, HeaderRow) { ["status"] = status.ToString() };
        if (completedAt is not null)
        {
            entity["completedAt"] = completedAt;
        }

        await Table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Every row result recorded so far, by row.</summary>
    public async Task<IReadOnlyList<BatchRowResult>> GetResultsAsync(string batchId, CancellationToken cancellationToken) =>
        (await ReadResultsAsync(batchId, cancellationToken)).Rows;

    /// <summary>
    /// The batch's row results: one range read of its pages (and of the per-row entities of a batch recorded before
    /// results were paged, which count as older than any page).
    /// </summary>
    public async Task<BatchResults> ReadResultsAsync(string batchId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {batchId} and RowKey ge {BatchResultPages.KeyPrefix} and RowKey lt {RowsEnd}");
        var pages = new List<BatchRowResult>();
        var legacy = new List<BatchRowResult>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey.StartsWith(BatchResultPages.KeyPrefix, StringComparison.Ordinal))
            {
                pages.AddRange(BatchResultPages.FromEntity(e));
            }
            else
            {
                legacy.Add(ToResult(e));
            }
        }

        return new BatchResults(legacy.Concat(pages));
    }

    private static BatchRowResult ToResult(TableEntity e) => new(
        e.GetInt32("row") ?? 0,
        e.GetString("unitCode"),
        e.GetString("reportDate"),
        Enum.Parse<BatchRowOutcome>(e.GetString("outcome")),
        e.GetInt32("revision"),
        e.GetString("receipt"),
        JsonSerializer.Deserialize<List<ReportWarning>>(e.GetString("warnings") ?? "[]", JsonDefaults.Web) ?? [],
        FieldErrorJson.Deserialize(e.GetString("errors")));

    /// <summary>Records row results in pages (<see cref="BatchResultPages"/>): a write per page, not per row.</summary>
    public async Task SaveResultsAsync(string batchId, IReadOnlyCollection<BatchRowResult> results, CancellationToken cancellationToken)
    {
        foreach (var page in BatchResultPages.ToEntities(batchId, results))
        {
            // Upsert, so a call the SDK retries after a lost answer writes the same page again rather than failing.
            await Table.UpsertEntityAsync(page, TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>Above every results key: pages (<c>page_</c>) and the per-row keys of batches recorded before them (<c>row_</c>, <c>row~</c>).</summary>
    private const string RowsEnd = "rox";
}
