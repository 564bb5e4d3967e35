using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Catalogue;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Batches;

/// <summary>An operator lists, replays and drops <c>report-submissions-poison</c> messages through <c>/api/operations/poison</c>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PoisonApiTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    /// <summary>A day no other test writes, so every row here is created by this test alone.</summary>
    private const string Date = "2026-09-20";

    private readonly StorageFaultPolicy storage = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // Retry failed messages at once, so the five attempts before poison take seconds.
        ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00",
    };

    protected override void Configure(WebApplicationBuilder builder)
    {
        storage.Install(builder);
        builder.Services.Configure<BatchResumeOptions>(o => o.After = TimeSpan.FromSeconds(3));
    }

    private BatchStore Store => Host.Services.GetRequiredService<BatchStore>();

    private string Csv(params string[] units)
    {
        var catalogue = Host.Services.GetRequiredService<IndicatorCatalogue>();
        var values = Reports.ValidValues().ToDictionary(v => v.Key, v => v.Value!.ToString()!);
        var lines = units.Select(unit => string.Join(",", new[] { unit, Date }
            .Concat(catalogue.Indicators.Select(i => values.GetValueOrDefault(i.Key, ""))).Append("")));
        return string.Join("\r\n", lines.Prepend(string.Join(",", new[] { "unitCode", "reportDate" }
            .Concat(catalogue.Indicators.Select(i => i.Key)).Append("notes")))) + "\r\n";
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The poison queue's own id of the message of this batch, once the host has moved it there.</summary>
    private async Task<string> WaitForPoisonAsync(string batchId)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if ((await Store.PoisonQueue.ExistsAsync()).Value
                && (await Store.PoisonQueue.PeekMessagesAsync(32)).Value.FirstOrDefault(m => m.Body.ToString().Contains(batchId, StringComparison.Ordinal)) is { } found)
            {
                return found.MessageId;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "no poison message in time");
            await Task.Delay(200);
        }
    }

    private static string Outcome(JsonElement status, int row) =>
        status.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("row").GetInt32() == row).GetProperty("outcome").GetString()!;

    private static async Task<int> RevisionsAsync(HttpClient client, string unit) =>
        (await Json(await client.GetAsync($"api/reports/{Date}/{unit}/revisions"))).GetArrayLength();

    private static async Task<(string Text, JsonElement? Entry)> ListingAsync(HttpClient client, string messageId)
    {
        var response = await client.GetAsync("api/operations/poison");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var entry = JsonDocument.Parse(text).RootElement.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("messageId").GetString() == messageId).Select(m => (JsonElement?)m.Clone()).SingleOrDefault();
        return (text, entry);
    }

    [Fact]
    public async Task A_poisoned_batch_is_listed_without_its_payload_and_replayed_it_completes_with_stored_rows_kept_as_they_were()
    {
        // Three townships of 卓尼县 in one CSV; the second cannot be written on any of the five attempts.
        string[] units = ["623022107", "623022108", "623022109"];
        using var admin = Host.Client(Host.AdminToken, "en");
        storage.Refuse = request => request.IsTransaction && request.Body.Contains("/countyreports", StringComparison.Ordinal)
            && request.Body.Contains(units[1], StringComparison.Ordinal);
        string batchId, messageId;
        try
        {
            var accepted = await admin.PostAsync("api/reports/batch", new StringContent(Csv(units), Encoding.UTF8, "text/csv"));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            batchId = (await Json(accepted)).GetProperty("batchId").GetString()!;
            messageId = await WaitForPoisonAsync(batchId);
        }
        finally
        {
            storage.Refuse = null;
        }

        var poisoned = await BatchPolling.CompletedAsync(admin, $"api/batches/{batchId}");
        Assert.Equal("notProcessed", Outcome(poisoned, 3));
        var stored = await Json(await admin.GetAsync($"api/reports/{Date}/{units[0]}"));

        var (text, entry) = await ListingAsync(admin, messageId);
        Assert.NotNull(entry);
        Assert.Equal(batchId, entry.Value.GetProperty("batchId").GetString());
        Assert.Equal("batchRowFailed", entry.Value.GetProperty("reason").GetString());
        Assert.True(entry.Value.TryGetProperty("insertedAt", out var inserted) && inserted.ValueKind == JsonValueKind.String);
        Assert.True(entry.Value.GetProperty("dequeueCount").GetInt64() >= 0);
        Assert.DoesNotContain(units[1], text); // no row of any payload
        Assert.DoesNotContain("payload", text, StringComparison.OrdinalIgnoreCase);

        var replay = await admin.PostAsync($"api/operations/poison/{messageId}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var done = await BatchPolling.CompletedAsync(admin, $"api/batches/{batchId}");
        Assert.Equal(["created", "created", "created"], new[] { Outcome(done, 2), Outcome(done, 3), Outcome(done, 4) });
        Assert.Equal(3, done.GetProperty("accepted").GetInt32());
        foreach (var unit in units)
        {
            Assert.Equal(1, await RevisionsAsync(admin, unit));
        }

        // The row stored before the poison is the very same revision, not rewritten by the replay.
        var after = await Json(await admin.GetAsync($"api/reports/{Date}/{units[0]}"));
        Assert.Equal(stored.GetProperty("receipt").GetString(), after.GetProperty("receipt").GetString());
        Assert.Null((await ListingAsync(admin, messageId)).Entry);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"api/operations/poison/{messageId}/replay", null)).StatusCode);
    }

    [Fact]
    public async Task A_dropped_poison_message_is_gone_and_one_of_no_batch_is_refused_replay()
    {
        using var admin = Host.Client(Host.AdminToken, "en");
        await Store.PoisonQueue.CreateIfNotExistsAsync();
        var orphan = (await Store.PoisonQueue.SendMessageAsync("not json " + Guid.NewGuid().ToString("N"))).Value.MessageId;

        // A claim-checked batch whose payload was never stored fails every attempt into poison.
        var batch = new BatchInfo(Guid.NewGuid().ToString("N"), BatchStatus.Queued, BatchFormat.Csv, 1,
            new Caller(Authenticator.BootstrapTokenId, Role.Admin, "623000"), Host.Time.GetUtcNow(), null, Guid.NewGuid().ToString("N") + ".csv");
        await Store.CreateAsync(batch, default);
        await Store.Queue.SendMessageAsync(BatchSubmitter.Serialize(new BatchMessage(batch.BatchId, null, batch.PayloadBlob)));
        var messageId = await WaitForPoisonAsync(batch.BatchId);

        Assert.Equal("batchRowPayloadMissing", (await ListingAsync(admin, messageId)).Entry!.Value.GetProperty("reason").GetString());
        Assert.Equal("notBatchMessage", (await ListingAsync(admin, orphan)).Entry!.Value.GetProperty("reason").GetString());

        var refused = await admin.PostAsync($"api/operations/poison/{orphan}/replay", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.NotNull((await ListingAsync(admin, orphan)).Entry); // still there, and visible again

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/operations/poison/{messageId}")).StatusCode);
        Assert.Null((await ListingAsync(admin, messageId)).Entry);
        Assert.NotNull((await ListingAsync(admin, orphan)).Entry); // the others searched past are visible again
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"api/operations/poison/{messageId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/operations/poison/{orphan}")).StatusCode);
        Assert.Equal("completed", (await Json(await admin.GetAsync($"api/batches/{batch.BatchId}"))).GetProperty("status").GetString());
    }
}
