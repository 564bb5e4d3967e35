using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;

namespace Pipeline.Benchmarks;

/// <summary>
/// The storage work of each path done once, raw, through a plain table client on the same Azurite and from the same
/// number of clients: the baselines the ingest, batch and rollup figures are measured against.
/// </summary>
public sealed class RawStorageBaseline(TableServiceClient tables)
{
    /// <summary>The table the app keeps revisions and state rows in, one partition per county.</summary>
    public const string ReportsTable = "countyreports";

    /// <summary>Numbers each run, so that a run's new rows never collide with an earlier run's (a warm-up's).</summary>
    private int runs;

    /// <summary>
    /// What one report has to write, in one round trip: an entity-group transaction adding a report-shaped revision
    /// and replacing its unit's state row (about 2 KB of recent days). One operation = one report.
    /// </summary>
    public async Task<Measurement> ReportTransactionsAsync(int concurrency, TimeSpan duration)
    {
        var table = await TableAsync("benchrawreports");
        var run = Interlocked.Increment(ref runs);
        return await Measurement.RunAsync($"raw 2-entity transaction (N={concurrency})", concurrency, duration, async i =>
        {
            var partition = $"p{i % 8}";
            await table.SubmitTransactionAsync([
                new TableTransactionAction(TableTransactionActionType.Add, ReportShaped(partition, $"r{run:D3}_{i:D9}", i)),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, StateShaped(partition, $"u{run:D3}_{i:D9}")),
            ]);
        });
    }

    /// <summary>
    /// The transaction ceiling a batch can reach: 100-entity entity-group transactions, half revisions and half state
    /// rows (two entities per batch row). One operation = 100 entities.
    /// </summary>
    public async Task<Measurement> FullTransactionsAsync(int concurrency, TimeSpan duration)
    {
        var table = await TableAsync("benchrawbatches");
        var run = Interlocked.Increment(ref runs);
        return await Measurement.RunAsync($"raw 100-entity transaction (N={concurrency})", concurrency, duration, async i =>
        {
            var partition = $"p{i % 8}";
            var actions = new List<TableTransactionAction>(100);
            for (var e = 0; e < 50; e++)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, ReportShaped(partition, $"r{run:D3}_{i:D9}_{e:D2}", i)));
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, StateShaped(partition, $"u{run:D3}_{i:D9}_{e:D2}")));
            }

            await table.SubmitTransactionAsync(actions);
        });
    }

    /// <summary>
    /// Reads every revision of <paramref name="date"/> in each county's partition, <paramref name="parallel"/> counties
    /// at a time, as whole entities: exactly the rows a rollup of that day needs. The keys are the app's
    /// (<c>r_yyyyMMdd_unit_rrrr</c>); the count is checked, so a change of layout stops the run instead of timing nothing.
    /// </summary>
    public async Task<TimeSpan> DayScanAsync(IEnumerable<string> counties, DateOnly date, int expectedRows, int parallel = 8)
    {
        var table = tables.GetTableClient(ReportsTable);
        var day = date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        long read = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(counties, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (county, ct) =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {county} and RowKey ge {$"r_{day}_"} and RowKey lt {$"r_{day}`"}");
            var rows = 0;
            await foreach (var _ in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                rows++;
            }

            Interlocked.Add(ref read, rows);
        });
        clock.Stop();
        return read == expectedRows
            ? clock.Elapsed
            : throw new InvalidOperationException($"The raw scan read {read} revisions of {date:yyyy-MM-dd} in {ReportsTable}, not {expectedRows}: has the key layout changed?");
    }

    private async Task<TableClient> TableAsync(string name)
    {
        var table = tables.GetTableClient(name);
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private static TableEntity ReportShaped(string partition, string row, long seed)
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

    private static TableEntity StateShaped(string partition, string row) => new(partition, row) { ["days"] = new string('x', 2_000) };
}
