using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Functions.Functions;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Units;
using Pipeline.Testing;
using Xunit.Abstractions;

namespace Pipeline.Functions.Tests.Batches;

/// <summary>Batches end to end through the local host's queue runner, and the queue function's at-least-once safety.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchApiTests(AzuriteFixture azurite, ITestOutputHelper output) : HostedTests(azurite)
{
    private readonly StorageFaultPolicy storage = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // As an app setting overrides host.json in Azure: retry failed messages at once, so five attempts take seconds.
        ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00",
    };

    protected override void Configure(WebApplicationBuilder builder)
    {
        storage.Install(builder);
        builder.Services.Configure<BatchResumeOptions>(o =>
        {
            o.After = TimeSpan.FromSeconds(3);
            // Long enough that a batch posted here has started (and withdrawn its copy) by then, even on a loaded machine.
            o.UnsentAfter = TimeSpan.FromSeconds(10);
        });
    }

    private static string Header(IndicatorCatalogue catalogue) =>
        string.Join(",", new[] { "unitCode", "reportDate" }.Concat(catalogue.Indicators.Select(i => i.Key)).Append("notes"));

    /// <summary>A CSV row with the valid values of <see cref="Reports.ValidValues"/> and the rest blank.</summary>
    private static string Row(IndicatorCatalogue catalogue, string unit, string date, Dictionary<string, string>? changes = null, string notes = "")
    {
        var values = Reports.ValidValues().ToDictionary(v => v.Key, v => v.Value!.ToString()!);
        foreach (var (key, value) in changes ?? [])
        {
            values[key] = value;
        }

        return string.Join(",", new[] { unit, date }
            .Concat(catalogue.Indicators.Select(i => values.GetValueOrDefault(i.Key, "")))
            .Append(notes));
    }

    private IndicatorCatalogue Catalogue => Host.Services.GetRequiredService<IndicatorCatalogue>();

    private static HttpContent Csv(string text, bool bom = true) =>
        new ByteArrayContent((bom ? Encoding.UTF8.GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(text)).ToArray())
        {
            Headers = { ContentType = new("text/csv") },
        };

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static JsonElement ResultOf(JsonElement status, int row) =>
        status.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("row").GetInt32() == row);

    [Fact]
    public async Task A_csv_batch_is_accepted_at_once_and_every_row_gets_the_single_report_outcome()
    {
        var c = Catalogue;
        var csv = string.Join("\r\n",
            Header(c),
            Row(c, "623023100", Reports.Today, notes: "\"卡点值守, 夜班\""),
            Row(c, "623023101", Reports.Today, new() { ["fromWuhan"] = "5" }),
            Row(c, "623023102", Reports.Today, new() { ["returnees"] = "\"1,234\"", ["homeQuarantine"] = "" }),
            Row(c, "623023103", "2026/11/26"),
            Row(c, "623023100", Reports.Today, new() { ["returnees"] = "13" }),
            ",,,",
            Row(c, "623023104", Reports.Today)) + "\r\n";
        var (_, token) = await Host.IssueTokenAsync("official", "623023");
        using var official = Host.Client(token, "en");

        var response = await official.PostAsync("api/reports/batch", Csv(csv));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await Json(response);
        Assert.Equal(6, accepted.GetProperty("rows").GetInt32()); // rows are numbered by their line: the header is line 1
        var statusUrl = accepted.GetProperty("statusUrl").GetString()!;
        Assert.Equal(statusUrl, response.Headers.Location!.OriginalString);

        var status = await BatchPolling.CompletedAsync(official, statusUrl, TimeSpan.FromSeconds(30));
        output.WriteLine(status.ToString()); // shown with --logger "console;verbosity=detailed"
        Assert.Equal(6, status.GetProperty("total").GetInt32());
        Assert.Equal(4, status.GetProperty("accepted").GetInt32());
        Assert.Equal(2, status.GetProperty("rejected").GetInt32());
        Assert.Equal("created", ResultOf(status, 2).GetProperty("outcome").GetString());
        Assert.Equal("rejected", ResultOf(status, 3).GetProperty("outcome").GetString());
        Assert.Contains("cannot exceed", ResultOf(status, 3).GetProperty("errors").GetProperty("values.fromWuhan")[0].GetString());
        var row3 = ResultOf(status, 4).GetProperty("errors");
        Assert.Equal(["values.homeQuarantine"], row3.EnumerateObject().Select(e => e.Name));
        Assert.Equal("2026-11-26", ResultOf(status, 5).GetProperty("reportDate").GetString());
        Assert.Equal("updated", ResultOf(status, 6).GetProperty("outcome").GetString());
        Assert.Equal(2, ResultOf(status, 6).GetProperty("revision").GetInt32());
        Assert.False(status.GetProperty("results").EnumerateArray().Any(r => r.GetProperty("row").GetInt32() == 7), "a blank line is no row");
        Assert.Equal("created", ResultOf(status, 8).GetProperty("outcome").GetString());

        var current = await Json(await official.GetAsync("api/reports/2026-11-27/623023100"));
        Assert.Equal(2, current.GetProperty("revision").GetInt32());
        Assert.Equal(13, current.GetProperty("values").GetProperty("returnees").GetInt32());
        Assert.Equal("卡点值守, 夜班", (await Json(await official.GetAsync("api/reports/2026-11-27/623023100/revisions")))[0].GetProperty("notes").GetString());
        Assert.False(current.GetProperty("values").TryGetProperty("fromWuhan", out _), "an empty cell is not reported, not 0");

        // The rollup's read of the county's day finds the newest revision, written by the batch's transactions.
        var projected = Host.Services.GetRequiredService<ReportStore>().ReadDayAsync(new DateOnly(2026, 11, 27), "623023", default);
        var byUnit = await projected.ToDictionaryAsync(r => r.UnitCode);
        Assert.Equal(2, byUnit["623023100"].Revision);
        Assert.Equal(1, byUnit["623023104"].Revision);
        Assert.False(byUnit.ContainsKey("623023101"));

        using var chinese = Host.Client(token);
        var zh = await Json(await chinese.GetAsync(statusUrl.TrimStart('/')));
        Assert.Contains("不能大于", ResultOf(zh, 3).GetProperty("errors").GetProperty("values.fromWuhan")[0].GetString());
    }

    [Fact]
    public async Task A_json_batch_goes_the_same_way_and_a_reporter_may_batch_only_its_own_unit()
    {
        var (_, token) = await Host.IssueTokenAsync("reporter", "623027100");
        using var reporter = Host.Client(token, "en");
        var invalid = Reports.ValidValues();
        invalid["fromWuhan"] = 9;
        var response = await reporter.PostAsJsonAsync("api/reports/batch", new[]
        {
            Reports.Valid(unit: "623027100"),
            Reports.Valid(unit: "623027101"),
            Reports.Valid(unit: "623027100", date: "2026-11-26", values: invalid),
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var statusUrl = (await Json(response)).GetProperty("statusUrl").GetString()!;
        var status = await BatchPolling.CompletedAsync(reporter, statusUrl, TimeSpan.FromSeconds(30));
        Assert.Equal("created", ResultOf(status, 1).GetProperty("outcome").GetString());
        Assert.Equal("rejected", ResultOf(status, 2).GetProperty("outcome").GetString());
        Assert.Contains("may not report for unit 623027101", ResultOf(status, 2).GetProperty("errors").GetProperty("unitCode")[0].GetString());
        Assert.True(ResultOf(status, 3).GetProperty("errors").TryGetProperty("values.fromWuhan", out _));

        var (_, other) = await Host.IssueTokenAsync("reporter", "623027101");
        using var stranger = Host.Client(other);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync(statusUrl.TrimStart('/'))).StatusCode);
        using var admin = Host.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(statusUrl.TrimStart('/'))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("api/batches/" + new string('0', 32))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("api/batches/nonsense")).StatusCode);
    }

    [Fact]
    public async Task Unreadable_batches_are_refused_at_once_with_a_clear_reason()
    {
        using var admin = Host.Client(Host.AdminToken, "en");
        var gbk = new byte[] { 0xB5, 0xE7, 0xD8, 0xC1, 0xD5, 0xF2 }; // 电尕镇 in GBK
        var header = Encoding.UTF8.GetBytes(Header(Catalogue) + "\r\n623024100,2026-11-27,");
        var response = await admin.PostAsync("api/reports/batch", new ByteArrayContent([.. header, .. gbk]) { Headers = { ContentType = new("text/csv") } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", (await Json(response)).GetProperty("errors").GetProperty("file")[0].GetString());

        response = await admin.PostAsync("api/reports/batch", Csv("unitCode;reportDate;returnees\r\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("header", out _));

        response = await admin.PostAsync("api/reports/batch", Csv(Header(Catalogue) + "\r\n" + Row(Catalogue, "623024100", Reports.Today, notes: "\"夜班") + "\r\n" + Row(Catalogue, "623024101", Reports.Today) + "\r\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("line 2", (await Json(response)).GetProperty("errors").GetProperty("file")[0].GetString());

        response = await admin.PostAsync("api/reports/batch", new StringContent("{\"unitCode\":\"623024100\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var tooMany = new StringBuilder(Header(Catalogue)).Append("\r\n");
        for (var i = 0; i <= BatchSubmitter.MaxRows; i++)
        {
            tooMany.Append(Row(Catalogue, "623024100", Reports.Today)).Append("\r\n");
        }

        response = await admin.PostAsync("api/reports/batch", Csv(tooMany.ToString()));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("10000", (await Json(response)).GetProperty("detail").GetString());

        response = await admin.PostAsync("api/reports/batch", new StringContent("a,b", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    /// <summary>Records a batch without putting it on the queue, so the test runs the queue function itself.</summary>
    private async Task<(BatchInfo Batch, string Message)> CreateUnqueuedAsync(string csv, string? blob = null, Caller? submitter = null)
    {
        var store = Host.Services.GetRequiredService<BatchStore>();
        var batch = new BatchInfo(Guid.NewGuid().ToString("N"), BatchStatus.Queued, BatchFormat.Csv,
            csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1, submitter ?? new Caller(Authenticator.BootstrapTokenId, Role.Admin, "623000"),
            Host.Time.GetUtcNow(), null, blob);
        await store.CreateAsync(batch, default);
        return (batch, BatchSubmitter.Serialize(new BatchMessage(batch.BatchId, blob is null ? csv : null, blob)));
    }

    private async Task<List<string>> SnapshotAsync(string batchId, params string[] units)
    {
        var tables = Host.Services.GetRequiredService<StorageTables>();
        var rows = new List<string>();
        foreach (var (table, filter) in new (TableClient, string)[]
                 {
                     (tables.Reports, TableClient.CreateQueryFilter($"PartitionKey eq {"623027"}")),
                     (tables.Batches, TableClient.CreateQueryFilter($"PartitionKey eq {batchId}")),
                 })
        {
            await foreach (var e in table.QueryAsync<TableEntity>(filter))
            {
                if (table == tables.Reports && !units.Any(u => e.RowKey.Contains(u, StringComparison.Ordinal)))
                {
                    continue;
                }

                rows.Add($"{table.Name}/{e.PartitionKey}/{e.RowKey}/{e.ETag}/" +
                    string.Join(";", e.Where(p => p.Key is not ("odata.etag" or "Timestamp")).OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")));
            }
        }

        return rows;
    }

    [Fact]
    public async Task A_thousand_corrections_of_one_unit_day_in_one_batch_are_all_stored()
    {
        const string unit = "623027105";
        var c = Catalogue;
        var csv = new StringBuilder(Header(c)).Append("\r\n");
        for (var i = 1; i <= 1000; i++)
        {
            csv.Append(Row(c, unit, Reports.Today, new() { ["returnees"] = (10 + i).ToString(System.Globalization.CultureInfo.InvariantCulture) })).Append("\r\n");
        }

        using var admin = Host.AdminClient();
        var response = await admin.PostAsync("api/reports/batch", Csv(csv.ToString()));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await Json(response);
        var status = await BatchPolling.CompletedAsync(admin, accepted.GetProperty("statusUrl").GetString()!, TimeSpan.FromMinutes(3));
        Assert.Equal((1000, 0, 0), (status.GetProperty("accepted").GetInt32(), status.GetProperty("rejected").GetInt32(), status.GetProperty("notProcessed").GetInt32()));

        var stored = await Json(await admin.GetAsync($"api/reports/{Reports.Today}/{unit}/revisions"));
        Assert.Equal(Enumerable.Range(1, 1000), stored.EnumerateArray().Select(r => r.GetProperty("revision").GetInt32()));
        Assert.Equal(Enumerable.Range(11, 1000), stored.EnumerateArray().Select(r => r.GetProperty("values").GetProperty("returnees").GetInt32()));

        // The 500th row (line 501: the header is line 1) sent again with the id the batch gave it (as a re-run of the
        // batch does): a replay of revision 500, long after its id left the unit's state row.
        var batchId = accepted.GetProperty("batchId").GetString()!;
        var values = Reports.ValidValues();
        values["returnees"] = 510;
        var again = await admin.PostAsJsonAsync("api/reports", new Dictionary<string, object?>
        {
            ["unitCode"] = unit, ["reportDate"] = Reports.Today, ["submissionId"] = $"b{batchId}-501", ["values"] = values, ["notes"] = "",
        });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(500, (await Json(again)).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_unit_that_cannot_be_written_fails_alone_and_the_other_units_of_its_county_are_created()
    {
        // Three townships of 卓尼县 in one county CSV: their rows share one entity-group transaction.
        string[] units = ["623022107", "623022108", "623022109"];
        var c = Catalogue;
        var csv = string.Join("\r\n", Header(c), Row(c, units[0], Reports.Today), Row(c, units[1], Reports.Today), Row(c, units[2], Reports.Today)) + "\r\n";
        storage.Refuse = request => request.IsTransaction && request.Body.Contains("/countyreports", StringComparison.Ordinal)
            && request.Body.Contains(units[1], StringComparison.Ordinal);
        try
        {
            using var admin = Host.Client(Host.AdminToken, "en");
            var response = await admin.PostAsync("api/reports/batch", Csv(csv));
            var status = await BatchPolling.CompletedAsync(admin, (await Json(response)).GetProperty("statusUrl").GetString()!, TimeSpan.FromMinutes(1));
            Assert.Equal("created", ResultOf(status, 2).GetProperty("outcome").GetString());
            Assert.Equal("created", ResultOf(status, 4).GetProperty("outcome").GetString());
            var failed = ResultOf(status, 3);
            Assert.Equal("notProcessed", failed.GetProperty("outcome").GetString());
            Assert.True(failed.GetProperty("errors").TryGetProperty("row", out _));
            foreach (var unit in new[] { units[0], units[2] })
            {
                Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"api/reports/{Reports.Today}/{unit}")).StatusCode);
            }

            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/reports/{Reports.Today}/{units[1]}")).StatusCode);
        }
        finally
        {
            storage.Refuse = null;
        }
    }

    [Fact]
    public async Task A_claim_checked_payload_whose_message_could_not_be_sent_is_removed()
    {
        var c = Catalogue;
        var csv = new StringBuilder(Header(c)).Append("\r\n");
        while (csv.Length < 2 * BatchSubmitter.MaxInlineMessageBytes)
        {
            csv.Append(Row(c, "623027106", Reports.Today)).Append("\r\n");
        }

        var payloads = Host.Services.GetRequiredService<BatchStore>().Payloads;
        async Task<int> CountAsync() => await payloads.GetBlobsAsync().CountAsync();
        var before = await CountAsync();
        var uploaded = 0;
        storage.BeforeSend = request =>
        {
            if (request.Method == "PUT" && request.Path.Contains("/batch-payloads/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref uploaded);
            }

            return Task.CompletedTask;
        };
        storage.RefuseStatus = 503;
        storage.Refuse = request => request.Method == "POST" && request.Path.EndsWith("/report-submissions/messages", StringComparison.Ordinal);
        try
        {
            using var admin = Host.AdminClient();
            var response = await admin.PostAsync("api/reports/batch", Csv(csv.ToString()));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }
        finally
        {
            storage.Refuse = null;
            storage.BeforeSend = null;
            storage.RefuseStatus = 400;
        }

        Assert.Equal(1, uploaded);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_batch_whose_worker_died_shows_processing_and_is_resumed_without_waiting_for_its_message()
    {
        const string unit = "623027107";
        var blocked = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var first = 0;
        storage.BeforeSend = async request =>
        {
            // The first run stops dead in its first write, and its heartbeat is gone: a worker whose process died.
            if (request.IsTransaction && request.Body.Contains(unit, StringComparison.Ordinal) && request.Body.Contains("/countyreports", StringComparison.Ordinal)
                && Interlocked.Exchange(ref first, 1) == 0)
            {
                blocked.SetResult();
                await release.Task;
            }
        };
        storage.Refuse = request => request.Method == "PUT" && request.Path.Contains("/report-submissions/messages/", StringComparison.Ordinal);
        try
        {
            using var admin = Host.AdminClient();
            var response = await admin.PostAsync("api/reports/batch", Csv(Header(Catalogue) + "\r\n" + Row(Catalogue, unit, Reports.Today) + "\r\n"));
            var statusUrl = (await Json(response)).GetProperty("statusUrl").GetString()!;
            await blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("processing", (await Json(await admin.GetAsync(statusUrl.TrimStart('/')))).GetProperty("status").GetString());

            // The original message stays invisible for the host's 10 minutes; the batch completes long before.
            var status = await BatchPolling.CompletedAsync(admin, statusUrl, TimeSpan.FromSeconds(60));
            Assert.Equal("created", ResultOf(status, 2).GetProperty("outcome").GetString());
        }
        finally
        {
            storage.Refuse = null;
            storage.BeforeSend = null;
            release.TrySetResult();
        }

        using var reader = Host.AdminClient();
        Assert.Equal(1, (await Json(await reader.GetAsync($"api/reports/{Reports.Today}/{unit}/revisions"))).GetArrayLength());
    }

    [Fact]
    public async Task A_batch_whose_message_the_host_failed_to_write_still_runs_from_the_submitters_hidden_copy()
    {
        var csv = Header(Catalogue) + "\r\n" + Row(Catalogue, "623027105", "2026-11-25") + "\r\n";
        var submission = await Host.Services.GetRequiredService<BatchSubmitter>().SubmitAsync(
            BatchFormat.Csv, Encoding.UTF8.GetBytes(csv), 1, new Caller(Authenticator.BootstrapTokenId, Role.Admin, "623000"), default);

        // The message for the output binding is dropped here, as when the host cannot write it after the 202.
        using var admin = Host.AdminClient();
        var status = await BatchPolling.CompletedAsync(admin, $"/api/batches/{submission.Batch.BatchId}", TimeSpan.FromSeconds(60));
        Assert.True(status.GetProperty("accepted").GetInt32() == 1, status.ToString());
    }

    [Fact]
    public async Task A_run_withdraws_the_submitters_hidden_copy_of_its_message()
    {
        var (batch, message) = await CreateUnqueuedAsync(Header(Catalogue) + "\r\n" + Row(Catalogue, "623027105", "2026-11-24") + "\r\n");
        var store = Host.Services.GetRequiredService<BatchStore>();
        var hidden = (await store.Queue.SendMessageAsync(message, TimeSpan.FromMinutes(5))).Value;
        var withFallback = BatchSubmitter.Serialize(BatchProcessor.TryParse(message)! with { Fallback = new QueuedCopy(hidden.MessageId, hidden.PopReceipt) });

        await Host.Services.GetRequiredService<BatchProcessor>().ProcessAsync(withFallback, 1, default);
        Assert.Equal(BatchStatus.Completed, (await store.GetAsync(batch.BatchId, default))!.Status);
        var gone = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => store.Queue.DeleteMessageAsync(hidden.MessageId, hidden.PopReceipt));
        Assert.Equal(404, gone.Status);

        // A second delivery of the same message finds the copy gone and goes on.
        await Host.Services.GetRequiredService<BatchProcessor>().ProcessAsync(withFallback, 2, default);
        Assert.Equal(BatchStatus.Completed, (await store.GetAsync(batch.BatchId, default))!.Status);
    }

    [Fact]
    public async Task The_same_message_processed_twice_changes_nothing_and_a_crash_before_recording_keeps_the_outcomes_right()
    {
        var c = Catalogue;
        var units = new[] { "623027102", "623027103", "623027104" };
        var csv = string.Join("\r\n", Header(c), Row(c, units[0], Reports.Today), Row(c, units[1], Reports.Today),
            Row(c, units[0], Reports.Today, new() { ["returnees"] = "20" }), Row(c, units[2], Reports.Today, new() { ["fromWuhan"] = "7" })) + "\r\n";
        var (batch, message) = await CreateUnqueuedAsync(csv);
        var processor = Host.Services.GetRequiredService<BatchProcessor>();
        var store = Host.Services.GetRequiredService<BatchStore>();

        await processor.ProcessAsync(message, 1, default);
        var first = await SnapshotAsync(batch.BatchId, units);
        var results = await store.GetResultsAsync(batch.BatchId, default);
        Assert.Equal([BatchRowOutcome.Created, BatchRowOutcome.Created, BatchRowOutcome.Updated, BatchRowOutcome.Rejected], results.Select(r => r.Outcome));

        await processor.ProcessAsync(message, 2, default);
        Assert.Equal(first, await SnapshotAsync(batch.BatchId, units));

        // A run that saved every row and then died before recording results and completing: the next run
        // must neither add revisions nor report the rows as merely "unchanged".
        var table = Host.Services.GetRequiredService<StorageTables>().Batches;
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {batch.BatchId} and RowKey ne {"batch"}")))
        {
            await table.DeleteEntityAsync(e.PartitionKey, e.RowKey);
        }

        await store.SetStatusAsync(batch.BatchId, BatchStatus.Processing, null, default);
        await processor.ProcessAsync(message, 2, default);
        Assert.Equal(results, await store.GetResultsAsync(batch.BatchId, default), new ResultComparer());
        var revisions = Host.Services.GetRequiredService<ReportStore>();
        Assert.Equal(2, (await revisions.GetRevisionsAsync(units[0], new DateOnly(2026, 11, 27), default)).Count);
        Assert.Single(await revisions.GetRevisionsAsync(units[1], new DateOnly(2026, 11, 27), default));
    }

    [Fact]
    public async Task A_queued_batch_of_a_token_revoked_or_expired_before_it_runs_stores_nothing_and_says_why_per_row()
    {
        var c = Catalogue;
        var processor = Host.Services.GetRequiredService<BatchProcessor>();
        var store = Host.Services.GetRequiredService<BatchStore>();
        var reports = Host.Services.GetRequiredService<ReportStore>();
        using var admin = Host.Client(Host.AdminToken, "en");

        var (revokedId, _) = await Host.IssueTokenAsync("official", "623026");
        var (revokedBatch, revokedMessage) = await CreateUnqueuedAsync(
            Header(c) + "\r\n" + Row(c, "623026103", Reports.Today) + "\r\n" + Row(c, "623026104", Reports.Today) + "\r\n",
            submitter: new Caller(revokedId, Role.Official, "623026"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/tokens/{revokedId}")).StatusCode);
        await processor.ProcessAsync(revokedMessage, 1, default);

        var status = await Json(await admin.GetAsync($"api/batches/{revokedBatch.BatchId}"));
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(2, status.GetProperty("rejected").GetInt32());
        Assert.Contains("revoked", ResultOf(status, 2).GetProperty("errors").GetProperty("token")[0].GetString());
        Assert.Empty(await reports.GetRevisionsAsync("623026103", new DateOnly(2026, 11, 27), default));
        using var chinese = Host.AdminClient();
        Assert.Contains("吊销", ResultOf(await Json(await chinese.GetAsync($"api/batches/{revokedBatch.BatchId}")), 3).GetProperty("errors").GetProperty("token")[0].GetString());

        var (expiringId, _) = await Host.IssueTokenAsync("official", "623026");
        var (expiredBatch, expiredMessage) = await CreateUnqueuedAsync(
            Header(c) + "\r\n" + Row(c, "623026202", Reports.Today) + "\r\n",
            submitter: new Caller(expiringId, Role.Official, "623026"));
        await Host.Services.GetRequiredService<StorageTables>().Tokens.UpdateEntityAsync(
            new TableEntity("token", expiringId) { [TokenStore.ExpiresAtProperty] = Host.Time.GetUtcNow().AddMinutes(-1) }, Azure.ETag.All, TableUpdateMode.Merge);
        await processor.ProcessAsync(expiredMessage, 1, default);
        var expired = (await store.GetResultsAsync(expiredBatch.BatchId, default)).Single();
        Assert.Equal(BatchRowOutcome.Rejected, expired.Outcome);
        Assert.Equal("batchTokenExpired", expired.Errors.Single().Code);
        Assert.Empty(await reports.GetRevisionsAsync("623026202", new DateOnly(2026, 11, 27), default));
    }

    [Fact]
    public async Task No_storage_exception_text_reaches_batch_results_and_the_poison_log_line_names_ids_not_text()
    {
        var logs = new LogCapture();
        await using var faulty = await PipelineHost.StartAsync(Azurite.ConnectionString, configure: b =>
        {
            b.Logging.AddProvider(logs);
            b.Services.AddSingleton(_ =>
            {
                var blobs = new Azure.Storage.Blobs.BlobClientOptions();
                blobs.AddPolicy(new RefusedPayloadReads(), Azure.Core.HttpPipelinePosition.PerCall);
                return new StorageClients(
                    new TableServiceClient(Azurite.ConnectionString),
                    new Azure.Storage.Blobs.BlobServiceClient(Azurite.ConnectionString, blobs),
                    new Azure.Storage.Queues.QueueServiceClient(Azurite.ConnectionString, new Azure.Storage.Queues.QueueClientOptions { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64 }),
                    UsesManagedIdentity: false);
            });
        });
        var store = faulty.Services.GetRequiredService<BatchStore>();
        var processor = faulty.Services.GetRequiredService<BatchProcessor>();
        var batch = new BatchInfo(Guid.NewGuid().ToString("N"), BatchStatus.Queued, BatchFormat.Csv, 1,
            new Caller(Authenticator.BootstrapTokenId, Role.Admin, "623000"), faulty.Time.GetUtcNow(), null, "fault-1.csv");
        await store.CreateAsync(batch, default);

        await Assert.ThrowsAnyAsync<Exception>(() => processor.ProcessAsync(BatchSubmitter.Serialize(new BatchMessage(batch.BatchId, null, "fault-1.csv")), 5, default));
        using var admin = faulty.Client(faulty.AdminToken, "en");
        var status = await Json(await admin.GetAsync($"api/batches/{batch.BatchId}"));
        var text = status.ToString();
        Assert.Equal("notProcessed", ResultOf(status, 1).GetProperty("outcome").GetString());
        Assert.DoesNotContain(RefusedPayloadReads.RequestId, text);
        Assert.DoesNotContain("AuthenticationFailed", text);
        Assert.Contains("details are in the log", text);
        Assert.Contains(logs.Lines, l => l.Contains(RefusedPayloadReads.RequestId, StringComparison.Ordinal));

        var unknown = Guid.NewGuid().ToString("N");
        await processor.ProcessAsync(BatchSubmitter.Serialize(new BatchMessage(unknown, "623024100,secret-row-4711", null)), 1, default);
        var poisonLine = logs.Lines.Single(l => l.Contains("poison queue", StringComparison.Ordinal) && l.Contains(unknown, StringComparison.Ordinal));
        Assert.DoesNotContain("secret-row-4711", poisonLine);
    }

    /// <summary>Refuses reads of payload blobs named fault-*, as storage refusing the app's identity would, request id in the text.</summary>
    private sealed class RefusedPayloadReads : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        public const string RequestId = "RequestId:5e1f0c2a-0000-secret-request";

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            message.Request.Uri.Path.Contains("/batch-payloads/fault-", StringComparison.Ordinal)
                ? throw new Azure.RequestFailedException(403, $"Server failed to authenticate the request.\n{RequestId}\nTime:2026-11-27T04:00:00Z", "AuthenticationFailed", null)
                : ProcessNextAsync(message, pipeline);
    }

    /// <summary>
    /// The figure in docs/reliability.md: the host process's peak resident memory (VmHWM, reset through
    /// /proc/self/clear_refs) while it accepts a 16 MB CSV upload, above what it held before.
    /// </summary>
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Peak_memory_of_a_16_MB_upload()
    {
        var body = LargeUpload.Csv(Catalogue, Host.Services.GetRequiredService<UnitRegistry>().Townships.Select(t => t.Code).ToList(), 16 * 1024 * 1024, BatchSubmitter.MaxRows);
        using var admin = Host.AdminClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("api/reports/batch", Csv("unitCode\r\n"))).StatusCode); // warm-up
        var content = new ByteArrayContent(body) { Headers = { ContentType = new("text/csv") } };
        // An aggressive collection gives the free heap back to the system, so the peak counts what the request holds.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        File.WriteAllText("/proc/self/clear_refs", "5");
        var before = ResidentKilobytes("VmRSS");
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var response = await admin.PostAsync("api/reports/batch", content);

        var peak = ResidentKilobytes("VmHWM");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        output.WriteLine($"16 MB upload ({body.Length} bytes, {(await Json(response)).GetProperty("rows").GetInt32()} rows): peak RSS {(peak - before) / 1024.0:0.0} MB above the {before / 1024.0:0.0} MB before; {allocated / 1048576.0:0.0} MB allocated in all");
    }

    private static long ResidentKilobytes(string field) =>
        long.Parse(File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_reporters_batch_is_capped_at_what_its_own_unit_needs()
    {
        var (_, token) = await Host.IssueTokenAsync("reporter", "623027101");
        using var reporter = Host.Client(token, "en");
        var rows = Enumerable.Range(0, BatchSubmitter.MaxReporterRows + 1).Select(_ => Reports.Valid(unit: "623027101")).ToArray();
        var response = await reporter.PostAsJsonAsync("api/reports/batch", rows);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"at most {BatchSubmitter.MaxReporterRows} rows", (await Json(response)).GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await reporter.PostAsJsonAsync("api/reports/batch", rows[1..])).StatusCode);
    }

    [Fact]
    public async Task Batch_results_come_in_pages_of_500_with_a_next_link_and_only_rejected_on_request()
    {
        var store = Host.Services.GetRequiredService<BatchStore>();
        var batch = new BatchInfo(Guid.NewGuid().ToString("N"), BatchStatus.Completed, BatchFormat.Csv, 1200,
            new Caller(Authenticator.BootstrapTokenId, Role.Admin, "623000"), Host.Time.GetUtcNow(), Host.Time.GetUtcNow(), null);
        await store.CreateAsync(batch, default);
        // Rows as a CSV numbers them: lines 2 to 1201; every third one rejected.
        await store.SaveResultsAsync(batch.BatchId, Enumerable.Range(2, 1200).Select(line => line % 3 == 0
            ? new BatchRowResult(line, "623027101", Reports.Today, BatchRowOutcome.Rejected, null, null, [], [new Pipeline.Reporting.Validation.FieldError("values.returnees", "batchEmpty", [])])
            : new BatchRowResult(line, "623027101", Reports.Today, BatchRowOutcome.Unchanged, 1, "R", [], [])).ToList(), default);
        using var admin = Host.AdminClient();

        var first = await Json(await admin.GetAsync($"api/batches/{batch.BatchId}"));
        Assert.Equal((1200, 800, 400), (first.GetProperty("total").GetInt32(), first.GetProperty("accepted").GetInt32(), first.GetProperty("rejected").GetInt32()));
        Assert.Equal(Enumerable.Range(2, 500), first.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("row").GetInt32()));
        var next = first.GetProperty("next").GetString()!;
        Assert.StartsWith("/api/batches/", next, StringComparison.Ordinal);

        var rows = first.GetProperty("results").GetArrayLength();
        while (next is not null)
        {
            var page = await Json(await admin.GetAsync(next.TrimStart('/')));
            Assert.Equal(800, page.GetProperty("accepted").GetInt32());
            rows += page.GetProperty("results").GetArrayLength();
            next = page.TryGetProperty("next", out var link) && link.ValueKind == JsonValueKind.String ? link.GetString() : null;
        }

        Assert.Equal(1200, rows);

        var rejected = await Json(await admin.GetAsync($"api/batches/{batch.BatchId}?only=rejected"));
        Assert.Equal(Enumerable.Range(2, 1200).Where(l => l % 3 == 0), rejected.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("row").GetInt32()));
        Assert.True(!rejected.TryGetProperty("next", out var none) || none.ValueKind == JsonValueKind.Null);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"api/batches/{batch.BatchId}?only=everything")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"api/batches/{batch.BatchId}?after=-1")).StatusCode);
    }

    private sealed class ResultComparer : IEqualityComparer<BatchRowResult>
    {
        public bool Equals(BatchRowResult? x, BatchRowResult? y) =>
            x!.Row == y!.Row && x.Outcome == y.Outcome && x.Revision == y.Revision && x.Receipt == y.Receipt && x.Errors.Count == y.Errors.Count;

        public int GetHashCode(BatchRowResult obj) => obj.Row;
    }

    [Fact]
    public async Task Malformed_messages_go_to_poison_at_once_and_the_worker_keeps_going()
    {
        var store = Host.Services.GetRequiredService<BatchStore>();
        var marker = Guid.NewGuid().ToString("N");
        await store.Queue.SendMessageAsync("not json " + marker);
        await store.Queue.SendMessageAsync(BatchSubmitter.Serialize(new BatchMessage(marker, "x", null)));

        var poisoned = await WaitForPoisonAsync(store, m => m.Contains(marker, StringComparison.Ordinal), 2, TimeSpan.FromSeconds(20));
        Assert.Contains(poisoned, m => m.StartsWith("not json", StringComparison.Ordinal));

        // And the runner still processes batches afterwards.
        using var admin = Host.AdminClient();
        var response = await admin.PostAsync("api/reports/batch", Csv(Header(Catalogue) + "\r\n" + Row(Catalogue, "623026100", Reports.Today) + "\r\n"));
        var status = await BatchPolling.CompletedAsync(admin, (await Json(response)).GetProperty("statusUrl").GetString()!, TimeSpan.FromSeconds(30));
        Assert.Equal(1, status.GetProperty("accepted").GetInt32());
    }

    private static async Task<List<string>> WaitForPoisonAsync(BatchStore store, Func<string, bool> match, int count, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if ((await store.PoisonQueue.ExistsAsync()).Value)
            {
                var found = (await store.PoisonQueue.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).Where(match).ToList();
                if (found.Count >= count)
                {
                    return found;
                }
            }

            Assert.True(watch.Elapsed < timeout, "no poison message in time");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task A_message_that_keeps_failing_goes_to_poison_after_five_dequeues_and_the_batch_says_which_rows_and_why()
    {
        var blob = Guid.NewGuid().ToString("N") + ".csv";
        var csv = Header(Catalogue) + "\r\n" + Row(Catalogue, "623026101", Reports.Today) + "\r\n" + Row(Catalogue, "623026102", Reports.Today) + "\r\n";
        var (batch, message) = await CreateUnqueuedAsync(csv, blob); // the claim-checked payload was never stored
        var store = Host.Services.GetRequiredService<BatchStore>();
        await store.Queue.SendMessageAsync(message);

        await WaitForPoisonAsync(store, m => m.Contains(batch.BatchId, StringComparison.Ordinal), 1, TimeSpan.FromSeconds(60));
        using var admin = Host.Client(Host.AdminToken, "en");
        var status = await Json(await admin.GetAsync($"api/batches/{batch.BatchId}"));
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(2, status.GetProperty("notProcessed").GetInt32());
        Assert.Equal(0, status.GetProperty("accepted").GetInt32());
        var error = ResultOf(status, 1).GetProperty("errors").GetProperty("row")[0].GetString();
        Assert.Contains("missing from storage", error);
        Assert.Equal("notProcessed", ResultOf(status, 2).GetProperty("outcome").GetString());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_claim_checked_batch_of_10000_rows_is_accepted_before_it_is_processed_and_completes()
    {
        var units = Host.Services.GetRequiredService<UnitRegistry>().Townships;
        var csv = new StringBuilder(Header(Catalogue)).Append("\r\n");
        var rows = 0;
        for (var day = 0; rows < BatchSubmitter.MaxRows; day++)
        {
            // Admin backfill of days no other test touches (they use the week before 2026-11-27).
            var date = new DateOnly(2026, 8, 31).AddDays(-day).ToString("yyyy-MM-dd");
            foreach (var unit in units.Take(BatchSubmitter.MaxRows - rows))
            {
                csv.Append(Row(Catalogue, unit.Code, date)).Append("\r\n");
                rows++;
            }
        }

        using var admin = Host.AdminClient();
        // Warm up (JIT, connections) with a refused body, so the clock measures the request, not the process start.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("api/reports/batch", Csv("unitCode\r\n"))).StatusCode);
        var watch = Stopwatch.StartNew();
        var response = await admin.PostAsync("api/reports/batch", Csv(csv.ToString()));
        var acceptedIn = watch.Elapsed;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await Json(response);
        Assert.Equal(BatchSubmitter.MaxRows, accepted.GetProperty("rows").GetInt32());

        var batchId = accepted.GetProperty("batchId").GetString()!;
        var store = Host.Services.GetRequiredService<BatchStore>();
        var batch = (await store.GetAsync(batchId, default))!;
        // The 202 answers before the rows are processed (not how fast: a timing bound fails on a loaded 2-core machine).
        Assert.NotEqual(BatchStatus.Completed, batch.Status);
        Assert.NotNull(batch.PayloadBlob);
        Assert.True((await store.Payloads.GetBlobClient(batch.PayloadBlob).ExistsAsync()).Value);

        var status = await BatchPolling.CompletedAsync(admin, accepted.GetProperty("statusUrl").GetString()!, TimeSpan.FromMinutes(10));
        output.WriteLine($"{rows} rows: 202 in {acceptedIn.TotalMilliseconds:0} ms, completed in {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(BatchSubmitter.MaxRows, status.GetProperty("accepted").GetInt32());
        Assert.Equal(GetReportBatchFunction.PageSize, status.GetProperty("results").GetArrayLength()); // the first page; `next` has the rest
        Assert.False((await store.Payloads.GetBlobClient(batch.PayloadBlob).ExistsAsync()).Value, "the payload blob is removed once the batch is complete");
    }
}
