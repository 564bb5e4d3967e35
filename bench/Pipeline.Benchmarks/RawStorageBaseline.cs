using Azure.Data.Tables;

namespace Pipeline.Benchmarks;

/// <summary>The storage's own speed from one client: single-entity upserts, and a partition scan.</summary>
public sealed class RawStorageBaseline(TableServiceClient tables)
{
    /// <summary>Upserts of entities shaped like a report (about 20 properties), spread over partitions.</summary>
    public async Task<Measurement> UpsertsAsync(int concurrency, TimeSpan duration)
    {
        var table = tables.GetTableClient("benchrawupserts");
        await table.CreateIfNotExistsAsync();
        return await Measurement.RunAsync($"raw single-entity upserts (N={concurrency})", concurrency, duration, async i =>
        {
            await table.UpsertEntityAsync(ReportShaped($"p{i % 8}", $"r{i:D9}", i));
        });
    }

    /// <summary>
    /// The storage work one report needs, done raw: a point read of a state row, then one entity-group transaction
    /// adding a report-shaped row and replacing the state row. The floor for HTTP ingest, which does this plus
    /// HTTP, validation and the rollup-stale check.
    /// </summary>
    public async Task<Measurement> ReadAndTransactAsync(int concurrency, TimeSpan duration)
    {
        var table = tables.GetTableClient("benchrawreports");
        await table.CreateIfNotExistsAsync();
        return await Measurement.RunAsync($"raw point read + 2-row transaction (N={concurrency})", concurrency, duration, async i =>
        {
            var partition = $"p{i % 8}";
            await table.GetEntityIfExistsAsync<TableEntity>(partition, $"u{i:D9}");
            await table.SubmitTransactionAsync([
                new TableTransactionAction(TableTransactionActionType.Add, ReportShaped(partition, $"r{i:D9}", i)),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, $"u{i:D9}") { ["days"] = new string('x', 2_000) }),
            ]);
        });
    }

    /// <summary>Point reads of rows that exist, spread over partitions.</summary>
    public async Task<Measurement> PointReadsAsync(int concurrency, TimeSpan duration)
    {
        var table = tables.GetTableClient("benchrawupserts");
        return await Measurement.RunAsync($"raw point reads (N={concurrency})", concurrency, duration, async i =>
        {
            await table.GetEntityIfExistsAsync<TableEntity>($"p{i % 8}", $"r{i % 2000:D9}");
        });
    }

    /// <summary>Writes <paramref name="rows"/> report-shaped rows into <paramref name="partitions"/> partitions, then reads them all back in parallel.</summary>
    public async Task<(Measurement Scan, TableClient Table)> ScanAsync(int rows, int partitions, string tableName)
    {
        var table = tables.GetTableClient(tableName);
        await table.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, partitions), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (p, ct) =>
        {
            var mine = Enumerable.Range(0, rows).Where(r => r % partitions == p).ToList();
            foreach (var chunk in mine.Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ReportShaped($"part{p:D5}", $"r{r:D9}", r))), ct);
            }
        });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        long read = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, partitions), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (p, ct) =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {$"part{p:D5}"}");
            await foreach (var _ in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                Interlocked.Increment(ref read);
            }
        });
        clock.Stop();
        return (new Measurement($"raw scan of {rows} rows in {partitions} partitions", read, clock.Elapsed, 0, 0), table);
    }

    public static TableEntity ReportShaped(string partition, string row, long seed)
    {
        var entity = new TableEntity(partition, row)
        {
            ["unitCode"] = "623024100",
            ["reportDate"] = "20261127",
            ["revision"] = 1,
            ["receipt"] = "ABCDE-FGHJK",
            ["receivedAt"] = DateTimeOffset.UtcNow,
            ["warnings"] = "[]",
        };
        for (var v = 0; v < 14; v++)
        {
            entity[$"v_{v}"] = seed + v;
        }

        return entity;
    }
}
