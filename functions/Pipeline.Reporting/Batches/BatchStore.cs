using System.Globalization;
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
/// RowKey <c>row_nnnnn</c> one row's result (written in entity-group transactions of 100). Payloads too
/// large for a queue message wait in the container <c>batch-payloads</c> until the batch is complete.
/// </summary>
public sealed class BatchStore(StorageTables tables, StorageClients clients)
{
    public const string QueueName = "report-submissions";
    public const string PoisonQueueName = QueueName + "-poison";
    public const string PayloadContainer = "batch-payloads";
    private const string HeaderRow = "batch";
    private const string RowPrefix = "row_";
    private const int MaxStoredErrors = 50;

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
    public async Task<IReadOnlyList<BatchRowResult>> GetResultsAsync(string batchId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {batchId} and RowKey ge {RowPrefix} and RowKey lt {RowsEnd}");
        var results = new List<BatchRowResult>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            results.Add(ToResult(e));
        }

        return results.OrderBy(r => r.Row).ToList();
    }

    /// <summary>
    /// One page of row results after row <paramref name="afterRow"/>, in row order (one range read of the page), optionally
    /// only those of one outcome; <c>More</c> says whether rows follow.
    /// </summary>
    public async Task<(IReadOnlyList<BatchRowResult> Rows, bool More)> GetResultsPageAsync(
        string batchId, int afterRow, BatchRowOutcome? only, int pageSize, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {batchId} and RowKey gt {RowKey(afterRow)} and RowKey lt {RowsEnd}");
        if (only is { } outcome)
        {
            filter += " and " + TableClient.CreateQueryFilter($"outcome eq {outcome.ToString()}");
        }

        var rows = new List<BatchRowResult>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize + 1, cancellationToken: cancellationToken))
        {
            if (rows.Count == pageSize)
            {
                return (rows, true);
            }

            rows.Add(ToResult(e));
        }

        return (rows, false);
    }

    /// <summary>How many rows have each outcome so far: a read of the outcome column only.</summary>
    public async Task<IReadOnlyDictionary<BatchRowOutcome, int>> CountResultsAsync(string batchId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {batchId} and RowKey ge {RowPrefix} and RowKey lt {RowsEnd}");
        var counts = Enum.GetValues<BatchRowOutcome>().ToDictionary(o => o, _ => 0);
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, select: ["outcome"], cancellationToken: cancellationToken))
        {
            counts[Enum.Parse<BatchRowOutcome>(e.GetString("outcome"))]++;
        }

        return counts;
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

    /// <summary>Records row results, 100 to a transaction (one partition: the batch). Upserts, so a re-run writes the same again.</summary>
    public async Task SaveResultsAsync(string batchId, IReadOnlyCollection<BatchRowResult> results, CancellationToken cancellationToken)
    {
        foreach (var chunk in results.Chunk(100))
        {
            var actions = chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(batchId, RowKey(r.Row))
            {
                ["row"] = r.Row,
                ["unitCode"] = r.UnitCode,
                ["reportDate"] = r.ReportDate,
                ["outcome"] = r.Outcome.ToString(),
                ["revision"] = r.Revision,
                ["receipt"] = r.Receipt,
                ["warnings"] = JsonSerializer.Serialize(r.Warnings, JsonDefaults.Web),
                ["errors"] = FieldErrorJson.Serialize(r.Errors.Take(MaxStoredErrors)),
            }));
            await Table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    /// <summary>
    /// <c>row_nnnnn</c>; a CSV line beyond 99,999 (a file with many blank lines) is <c>row~nnnnnnnn</c>, which sorts
    /// after every <c>row_</c> key, so keys stay in row order and batches stored before keep their keys.
    /// </summary>
    private static string RowKey(int row) => row < 100_000
        ? RowPrefix + row.ToString("D5", CultureInfo.InvariantCulture)
        : "row~" + row.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>Above every row key.</summary>
    private const string RowsEnd = "rox";
}
