using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Batches;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Batches;

/// <summary>
/// What a batch costs in storage writes, counted on the app's storage clients: two entities per row (the revision and
/// its unit's state row, once per unit and transaction, nothing else) in entity-group transactions of at most 100, and
/// the row results in pages, never an entity per row.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class BatchStorageWritesTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    private readonly StorageFaultPolicy storage = new();

    protected override void Configure(WebApplicationBuilder builder) => storage.Install(builder);

    [Fact]
    public async Task A_batch_writes_two_entities_per_row_in_transactions_of_100_and_its_results_in_one_page()
    {
        // Days no other test reports on, inside the 45 days a state row keeps (no day reads).
        string[] days = ["2026-11-08", "2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12"];
        string[] lintan = ["623021100", "623021101", "623021102", "623021103", "623021104", "623021105", "623021106", "623021107",
            "623021108", "623021109", "623021110", "623021200", "623021202", "623021203", "623021208", "623021210"];
        string[] luqu = ["623023100", "623023101", "623023102", "623023103", "623023104", "623023105", "623023106", "623023107",
            "623023108", "623023109", "623023110", "623023111", "623023112", "623023113", "623023114", "623023200", "623023208",
            "623023210", "623023212"];
        const string corrected = "623001101";
        var rows = new List<Dictionary<string, object?>>();
        rows.AddRange(lintan.Select(unit => Reports.Valid(unit: unit, date: days[0]))); // 16 units, a row each: 32 entities
        rows.AddRange(luqu.SelectMany(unit => days.Select(day => Reports.Valid(unit: unit, date: day)))); // 19 x 5 rows: 95 + 19 entities
        // One unit-day corrected 150 times: 150 revisions, a state row per transaction.
        rows.AddRange(Enumerable.Range(1, 150).Select(i => Reports.WithReturnees(corrected, 12 + i, date: days[4])));

        // Claim-checked, as the API stores a payload this size; the test runs the queue function itself.
        var batchId = Guid.NewGuid().ToString("N");
        var blob = batchId + ".json";
        var batch = new BatchInfo(batchId, BatchStatus.Queued, BatchFormat.Json, rows.Count,
            new Caller(Authenticator.BootstrapTokenId, Role.Admin, "623000"), Host.Time.GetUtcNow(), null, blob);
        var store = Host.Services.GetRequiredService<BatchStore>();
        await store.Payloads.UploadBlobAsync(blob, BinaryData.FromObjectAsJson(rows));
        await store.CreateAsync(batch, default);
        var message = BatchSubmitter.Serialize(new BatchMessage(batch.BatchId, null, blob));

        var reportTransactions = new List<(string County, int Entities)>();
        var batchWrites = new List<(string Method, int Entities)>();
        string[] ours = [.. lintan, .. luqu, corrected];
        storage.BeforeSend = request =>
        {
            lock (reportTransactions)
            {
                if (request.IsTransaction && request.Body.Contains("/countyreports", StringComparison.Ordinal) && ours.Any(u => request.Body.Contains(u, StringComparison.Ordinal)))
                {
                    reportTransactions.Add((Partition().Match(request.Body).Groups[1].Value, request.Entities));
                }
                else if ((request.IsTransaction ? request.Body : request.Path).Contains("/batches", StringComparison.Ordinal)
                         && request.Method != "GET" && (request.Path + request.Body).Contains(batch.BatchId, StringComparison.Ordinal))
                {
                    batchWrites.Add((request.IsTransaction ? "$batch" : request.Method, request.IsTransaction ? request.Entities : 1));
                }
            }

            return Task.CompletedTask;
        };

        await Host.Services.GetRequiredService<BatchProcessor>().ProcessAsync(message, 1, default);
        storage.BeforeSend = null;

        var results = await store.GetResultsAsync(batch.BatchId, default);
        Assert.Equal(rows.Count, results.Count(r => r.IsAccepted));
        Assert.Equal(150, results.Single(r => r.Row == rows.Count).Revision);

        Assert.All(reportTransactions, t => Assert.InRange(t.Entities, 1, 100));
        var byCounty = reportTransactions.GroupBy(t => t.County).ToDictionary(g => g.Key, g => g.Select(t => t.Entities).Order().ToList());
        // Revisions and state rows only: 50 units of one row each fill a transaction.
        Assert.Equal([32], byCounty["623021"]); // 2 x 16
        Assert.Equal([18, 96], byCounty["623023"]); // 19 units of 6 entities: 16 fit in 100, then 3
        Assert.Equal([52, 100], byCounty["623001"]); // 99 revisions + the state row, then 51 + the state row
        Assert.Equal(3, byCounty.Count);

        // The batch's own rows: the status set to processing and to completed, and one page of results. No row alone.
        Assert.DoesNotContain(batchWrites, w => w.Method == "$batch");
        Assert.Equal(3, batchWrites.Count);
    }

    [GeneratedRegex(@"PartitionKey(?:='|"":"")(\d{6})")]
    private static partial Regex Partition();
}
