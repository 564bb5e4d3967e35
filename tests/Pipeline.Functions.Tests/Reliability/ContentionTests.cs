using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Storage;
using Pipeline.Testing;
using static Pipeline.Functions.Tests.Submissions.StateCacheReports;

namespace Pipeline.Functions.Tests.Reliability;

/// <summary>
/// Writers of one unit that collide. On one instance they take turns, so they never collide; a writer that loses to
/// another instance's writers on every attempt the concurrency policy allows is refused with 503 + Retry-After naming
/// the unit (nothing stored, the same report sent again is stored once), never a 500; a batch row that loses so is
/// retried within the batch's run like a row storage refused. Each race across instances is made, not waited for:
/// the other instance writes the unit just before the loser's write goes out (a report's later attempts are answered
/// 409 as such a race would be, so that the request stays within its storage deadline); within an instance, the
/// first write is held on its way until the second has either waited its turn or sent its own write.
/// </summary>
public sealed class ContentionTests(AzuriteFixture azurite) : HostedTests(azurite), IClassFixture<AzuriteFixture>
{
    private readonly StorageFaultPolicy faults = new();
    private readonly LogCapture logs = new();

    protected override void Configure(WebApplicationBuilder builder)
    {
        faults.Install(builder);
        builder.Logging.AddProvider(logs);
        builder.Logging.AddFilter<LogCapture>(typeof(UnitWriteLock).FullName, LogLevel.Debug);
    }

    /// <summary>
    /// Before each write through <paramref name="policy"/> that carries <paramref name="marker"/> (a submission id),
    /// <paramref name="rival"/> (another instance) stores a correction of <paramref name="unit"/>, up to <paramref name="times"/>
    /// times in all (<paramref name="rivalReturnees"/>, shared by the instances, notes each correction's returnees).
    /// </summary>
    private static void LoseTo(StorageFaultPolicy policy, HttpClient rival, string unit, string marker, int times, List<int> rivalReturnees)
    {
        policy.BeforeSend = async request =>
        {
            if (!request.IsTransaction || !request.Body.Contains(marker, StringComparison.Ordinal))
            {
                return;
            }

            int returnees;
            lock (rivalReturnees)
            {
                if (rivalReturnees.Count >= times)
                {
                    return;
                }

                returnees = 1000 + rivalReturnees.Count;
                rivalReturnees.Add(returnees);
            }

            await rival.SubmitAsync(Reports.WithReturnees(unit, returnees, $"rival-{returnees}"));
        };
    }

    [Theory]
    [InlineData(null, "同时写入")]
    [InlineData("en", "at the same moment")]
    public async Task A_writer_that_loses_to_another_instance_on_every_attempt_is_answered_503_with_Retry_After_naming_the_unit(string? language, string says)
    {
        var unit = language is null ? "623024100" : "623024101";
        await using var other = await PipelineHost.StartAsync(Azurite.ConnectionString);
        using var rival = other.AdminClient();
        using var client = Host.Client(Host.AdminToken, language);
        await client.SubmitAsync(Reports.WithReturnees(unit, 1, $"first-{unit}"));

        // The first attempt loses a real race: the other instance stores a correction just before its write goes out.
        // Every later one is answered 409 as that race would be: 20 real races (a request each on the other instance)
        // and the policy's pauses could pass the request's 5 s storage deadline on a loaded machine, and a 503 for that.
        static bool Losers(StorageRequest request) => request.IsTransaction && request.Body.Contains("loser", StringComparison.Ordinal);
        var attempts = 0;
        faults.BeforeSend = async request =>
        {
            if (Losers(request) && Interlocked.Increment(ref attempts) == 1)
            {
                await rival.SubmitAsync(Reports.WithReturnees(unit, 1000, "rival"));
            }
        };
        faults.Refuse = request => Losers(request) && Volatile.Read(ref attempts) > 1;
        faults.RefuseStatus = 409;
        var report = Reports.WithReturnees(unit, 2, "loser");
        using var refused = await client.PostAsync(report);
        faults.BeforeSend = null;
        faults.Refuse = null;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("https://pipeline.example/problems/contended", problem.GetProperty("type").GetString());
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        var rule = Assert.Single(problem.GetProperty("errors").GetProperty("unitCode").EnumerateArray()).GetString()!;
        Assert.Contains(unit, rule);
        Assert.Contains(says, rule);
        Assert.Contains(unit, problem.GetProperty("detail").GetString());
        Assert.NotNull(problem.GetProperty("correlationId").GetString());

        // Every attempt the policy allows was made and lost: none of it is stored, only the other instance's correction.
        Assert.Equal(StoragePolicies.ConcurrencyRetries + 1, attempts);
        Assert.Equal([(1, 1), (2, 1000)], await StoredAsync(client, unit));

        // The phone sends it again once the others are done: stored once, as the next revision.
        Assert.Equal(3, await RevisionOfAsync(await client.PostAsync(report), HttpStatusCode.OK));
        Assert.Equal(3, await RevisionOfAsync(await rival.PostAsync(report), HttpStatusCode.OK));
        Assert.Equal([(1, 1), (2, 1000), (3, 2)], await StoredAsync(client, unit));
    }

    [Fact]
    public async Task Writers_of_one_unit_on_one_instance_take_turns_and_never_collide()
    {
        const string unit = "623024102";
        using var client = Host.AdminClient();
        await client.SubmitAsync(Reports.WithReturnees(unit, 1, "turns-0"));

        var requests = new ConcurrentQueue<string>();
        var firstSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        faults.BeforeSend = async request =>
        {
            // The second's write carries the first's submission id too (in the state row's ids of the day): looked for first.
            if (request.IsTransaction && request.Body.Contains("turns-2", StringComparison.Ordinal))
            {
                requests.Enqueue("second's write");
                secondSent.TrySetResult();
            }
            else if (request.IsTransaction && request.Body.Contains("turns-1", StringComparison.Ordinal))
            {
                requests.Enqueue("first's write");
                firstSent.TrySetResult();
                await releaseFirst.Task;
            }
            else if (request.Path.Contains("countyreports", StringComparison.Ordinal))
            {
                requests.Enqueue($"{request.Method} {request.Path}");
            }
        };

        // The first write is held on its way to storage while the second report of the unit comes in: the second
        // waits its turn (it would otherwise plan on the same state, win, and send the first round again).
        var first = client.PostAsync(Reports.WithReturnees(unit, 2, "turns-1"));
        await firstSent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = client.PostAsync(Reports.WithReturnees(unit, 3, "turns-2"));
        await Task.WhenAny(logs.WaitForAsync(l => l.Contains($"Unit {unit}: another write of the unit is in flight", StringComparison.Ordinal)), secondSent.Task);
        releaseFirst.SetResult();

        Assert.Equal(2, await RevisionOfAsync(await first, HttpStatusCode.OK));
        Assert.Equal(3, await RevisionOfAsync(await second, HttpStatusCode.OK));
        faults.BeforeSend = null;

        // Two writes, nothing refused and nothing read again: the second planned on the row the first wrote.
        Assert.Equal(["first's write", "second's write"], requests);
        Assert.Equal([(1, 1), (2, 2), (3, 3)], await StoredAsync(client, unit));
    }

    [Fact]
    public async Task Reports_of_one_unit_released_together_are_written_one_after_the_other_each_at_its_first_attempt()
    {
        // What the outage did: the phones' requests of one unit, held while storage was down, all arriving at once.
        const string unit = "623024201";
        const int phones = 24;
        using var client = Host.AdminClient();
        await client.SubmitAsync(Reports.WithReturnees(unit, 1, "burst-0"));
        var requests = new ConcurrentQueue<string>();
        // The writes and the reads of the unit's state row (past a day's 20th revision a new submission also looks
        // its id up among the older ones: a query, left out here).
        faults.BeforeSend = request =>
        {
            if (request.IsTransaction || request.Path.Contains($"RowKey='u_{unit}'", StringComparison.Ordinal))
            {
                requests.Enqueue(request.IsTransaction ? "write" : $"{request.Method} {request.Path}");
            }

            return Task.CompletedTask;
        };

        var revisions = await Task.WhenAll(Enumerable.Range(1, phones).Select(async phone =>
            await RevisionOfAsync(await client.PostAsync(Reports.WithReturnees(unit, 100 + phone, $"burst-{phone}")), HttpStatusCode.OK)));
        faults.BeforeSend = null;

        Assert.Equal(Enumerable.Range(2, phones), revisions.Order());
        Assert.Equal(Enumerable.Repeat("write", phones), requests);
    }

    [Fact]
    public async Task A_batch_row_whose_unit_loses_every_attempt_is_retried_within_the_run_and_stored_once()
    {
        const string contended = "623024103";
        const string quiet = "623024104";
        var otherFaults = new StorageFaultPolicy();
        await using var other = await PipelineHost.StartAsync(Azurite.ConnectionString, configure: b =>
        {
            otherFaults.Install(b);
            b.Logging.AddProvider(logs);
        });
        using var toOther = other.AdminClient();
        using var admin = Host.AdminClient();

        // Either instance may take the batch from the queue; the other one is its rival. More lost attempts than one
        // run of the unit allows: the first run ends with the row undone, a later one stores it.
        var rivals = new List<int>();
        LoseTo(faults, toOther, contended, "batch-contended", StoragePolicies.ConcurrencyRetries + 4, rivals);
        LoseTo(otherFaults, admin, contended, "batch-contended", StoragePolicies.ConcurrencyRetries + 4, rivals);
        var rows = new[] { Reports.WithReturnees(contended, 7, "batch-contended"), Reports.WithReturnees(quiet, 8, "batch-quiet") };
        using var accepted = await admin.PostAsJsonAsync("api/reports/batch", rows);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var batch = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        var status = await Batches.BatchPolling.CompletedAsync(admin, batch.GetProperty("statusUrl").GetString()!, TimeSpan.FromMinutes(2));
        faults.BeforeSend = otherFaults.BeforeSend = null;

        Assert.Equal(StoragePolicies.ConcurrencyRetries + 4, rivals.Count);
        Assert.Equal(2, status.GetProperty("accepted").GetInt32());
        var results = status.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("unitCode").GetString()!);
        Assert.Equal("updated", results[contended].GetProperty("outcome").GetString());
        Assert.Equal(rivals.Count + 1, results[contended].GetProperty("revision").GetInt32());
        Assert.Equal("created", results[quiet].GetProperty("outcome").GetString());
        Assert.Equal([.. rivals.Select((r, i) => (i + 1, r)), (rivals.Count + 1, 7)], await StoredAsync(admin, contended));

        // Retried by the run itself, as when storage refused it, not handed back to the queue as a failure.
        var batchId = batch.GetProperty("batchId").GetString();
        Assert.Contains(logs.Lines, l => l.Contains($"Batch {batchId} completed: 2 rows (attempt 1)", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("failed on message", StringComparison.Ordinal));
    }
}
