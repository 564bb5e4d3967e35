using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Testing;

namespace Pipeline.Reporting.Tests.Storage;

/// <summary>Revisions under concurrency and at-least-once clients, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReportStoreTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    private readonly StorageFaultPolicy storage = new();

    protected override void Configure(WebApplicationBuilder builder) => storage.Install(builder);

    [Fact]
    public async Task Racing_corrections_all_become_revisions_and_none_is_lost()
    {
        const string unit = "623025100";
        using var admin = Host.AdminClient();
        const int writers = 12;
        var responses = await Task.WhenAll(Enumerable.Range(0, writers).Select(async i =>
        {
            var values = Reports.ValidValues();
            values["returnees"] = 100 + i;
            var response = await admin.PostAsync(Reports.Valid(unit: unit, values: values));
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }));

        var revisions = responses.Select(r => r.GetProperty("revision").GetInt32()).Order().ToList();
        Assert.Equal(Enumerable.Range(1, writers), revisions);

        var stored = await (await admin.GetAsync($"api/reports/{Reports.Today}/{unit}/revisions")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(
            Enumerable.Range(0, writers).Select(i => 100 + i).Order(),
            stored.EnumerateArray().Select(r => r.GetProperty("values").GetProperty("returnees").GetInt32()).Order());

        // The rollup's read of the day ends at the newest revision.
        var store = Host.Services.GetRequiredService<ReportStore>();
        var current = await store.ReadDayAsync(new DateOnly(2026, 11, 27), "623025", CancellationToken.None).SingleAsync(r => r.UnitCode == unit);
        Assert.Equal(writers, current.Revision);
    }

    [Fact]
    public async Task Replays_of_one_submission_racing_each_other_store_one_revision()
    {
        const string unit = "623025101";
        using var admin = Host.AdminClient();
        var report = Reports.Valid(unit: unit);
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => admin.PostAsync(report)));
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        var stored = await (await admin.GetAsync($"api/reports/{Reports.Today}/{unit}/revisions")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, stored.GetArrayLength());
    }

    [Fact]
    public async Task A_replay_of_an_older_submission_after_a_correction_changes_nothing()
    {
        const string unit = "623025102";
        using var admin = Host.AdminClient();
        var first = Reports.Valid(unit: unit);
        await admin.PostAsync(first);
        var values = Reports.ValidValues();
        values["returnees"] = 99;
        await admin.PostAsync(Reports.Valid(unit: unit, values: values));

        var replay = await (await admin.PostAsync(first)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, replay.GetProperty("revision").GetInt32());
        var current = await (await admin.GetAsync($"api/reports/{Reports.Today}/{unit}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, current.GetProperty("revision").GetInt32());
        Assert.Equal(99, current.GetProperty("values").GetProperty("returnees").GetInt32());
    }

    [Fact]
    public async Task A_thousand_corrections_of_one_unit_day_are_all_stored_and_an_old_submission_still_replays()
    {
        // About 215 of these overflowed the unit's state row (one 64 KiB property): every later write was a bare 500.
        const string unit = "623025105";
        using var admin = Host.AdminClient();
        Dictionary<string, object?> Correction(int i)
        {
            var values = Reports.ValidValues();
            values["returnees"] = 10 + i;
            return Reports.Valid(unit: unit, submissionId: $"correction-{i}", values: values);
        }

        for (var i = 1; i <= 1000; i++)
        {
            var response = await admin.PostAsync(Correction(i));
            Assert.True(response.IsSuccessStatusCode, $"correction {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(i, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32());
        }

        // A phone replaying its 5th submission long after it left the state row: still a replay, not revision 1001.
        var replay = await admin.PostAsync(Correction(5));
        Assert.Equal(System.Net.HttpStatusCode.OK, replay.StatusCode);
        var answer = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(5, answer.GetProperty("revision").GetInt32());
        Assert.Equal(1000, (await (await admin.PostAsync(Correction(1000))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32());

        var stored = await (await admin.GetAsync($"api/reports/{Reports.Today}/{unit}/revisions")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Enumerable.Range(1, 1000), stored.EnumerateArray().Select(r => r.GetProperty("revision").GetInt32()));
        var current = await (await admin.GetAsync($"api/reports/{Reports.Today}/{unit}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1010, current.GetProperty("values").GetProperty("returnees").GetInt32());
    }

    [Fact]
    public async Task Tokens_are_stored_only_as_hashes()
    {
        var (id, token) = await Host.IssueTokenAsync("reporter", "623025103");
        var tables = Host.Services.GetRequiredService<StorageTables>();
        var entity = (await tables.Tokens.GetEntityAsync<TableEntity>("token", id)).Value;
        var secret = token.Split('_', 3)[2];
        Assert.DoesNotContain(entity, p => p.Value?.ToString()?.Contains(secret, StringComparison.Ordinal) == true);
        Assert.Equal(32, entity.GetBinary("hash").Length);
    }

    [Fact]
    public async Task The_same_submission_id_with_changed_values_is_a_correction()
    {
        const string unit = "623025104";
        using var admin = Host.AdminClient();
        var report = Reports.Valid(unit: unit, submissionId: "form-1");
        Assert.Equal(1, (await (await admin.PostAsync(report)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32());
        var values = Reports.ValidValues();
        values["returnees"] = 40;
        var changed = Reports.Valid(unit: unit, submissionId: "form-1", values: values);
        Assert.Equal(2, (await (await admin.PostAsync(changed)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32());
        Assert.Equal(2, (await (await admin.PostAsync(changed)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_backfill_older_than_the_state_row_keeps_is_numbered_from_its_own_revisions()
    {
        const string unit = "623021103";
        using var admin = Host.AdminClient();
        var old = new DateOnly(2026, 11, 27).AddDays(-UnitState.KeepDays - 20).ToString("yyyy-MM-dd");
        (await admin.PostAsync(Reports.Valid(unit: unit))).EnsureSuccessStatusCode();

        var first = Reports.Valid(unit: unit, date: old, submissionId: "old-1");
        var values = Reports.ValidValues();
        values["returnees"] = 77;
        var second = Reports.Valid(unit: unit, date: old, submissionId: "old-2", values: values);
        var answers = new List<(int Status, int Revision)>();
        foreach (var body in new[] { first, second, first, second })
        {
            var response = await admin.PostAsync(body);
            answers.Add(((int)response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32()));
        }

        Assert.Equal([(201, 1), (200, 2), (200, 1), (200, 2)], answers);
        var stored = await (await admin.GetAsync($"api/reports/{old}/{unit}/revisions")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([12, 77], stored.EnumerateArray().Select(r => r.GetProperty("values").GetProperty("returnees").GetInt32()));
        var current = await (await admin.GetAsync($"api/reports/{Reports.Today}/{unit}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, current.GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_grouped_write_that_meets_a_concurrent_writer_falls_back_and_loses_nothing()
    {
        string[] units = ["623021104", "623021105", "623021106"];
        var date = new DateOnly(2026, 11, 27);
        var store = Host.Services.GetRequiredService<ReportStore>();
        var writer = Host.Services.GetRequiredService<ReportWriter>();
        var grouped = units.SelectMany(unit => new[] { 1, 2 }.Select(k => Grouped(unit, date, 100 + k))).ToList();
        var interfered = 0;
        storage.BeforeSend = async request =>
        {
            // The writer has read the units' state rows and is about to write them: another writer gets in first.
            if (request.IsTransaction && request.Body.Contains("grouped-101", StringComparison.Ordinal) && Interlocked.Exchange(ref interfered, 1) == 0)
            {
                await writer.SaveAsync([Grouped(units[0], date, 999)], default);
            }
        };
        var saves = await writer.SaveAsync(grouped, default);
        storage.BeforeSend = null;

        Assert.All(saves, s => Assert.Null(s.Error));
        var first = await store.GetRevisionsAsync(units[0], date, default);
        Assert.Equal([1, 2, 3], first.Select(r => r.Revision));
        Assert.Equal([999m, 101m, 102m], first.Select(r => r.Values["returnees"]));
        foreach (var unit in units.Skip(1))
        {
            Assert.Equal([101m, 102m], (await store.GetRevisionsAsync(unit, date, default)).Select(r => r.Values["returnees"]));
        }

        var day = await store.ReadDayAsync(date, "623021", default).Where(r => units.Contains(r.UnitCode)).ToDictionaryAsync(r => r.UnitCode);
        Assert.Equal([3, 2, 2], units.Select(u => day[u].Revision));
        Assert.Equal(102m, day[units[0]].Values["returnees"]);
    }

    private static IncomingReport Grouped(string unit, DateOnly date, int returnees)
    {
        var report = new ValidReport(unit, date, $"grouped-{returnees}", new Dictionary<string, decimal> { ["returnees"] = returnees }, "", "", "");
        return new IncomingReport(report, ReportFingerprint.ContentHash(report), "test");
    }

    [Fact]
    public async Task Storage_counts_by_timestamp_the_revisions_written_from_a_time_on_and_not_those_before()
    {
        // Zhouqu, a day no other test reports on: one revision, then another stamped later.
        var day = new DateOnly(2026, 11, 3);
        const string county = "623026";
        using var admin = Host.AdminClient();
        var tables = Host.Services.GetRequiredService<StorageTables>();
        async Task<DateTimeOffset> WriteAsync(string unit)
        {
            (await admin.PostAsync(Reports.Valid(unit: unit, date: "2026-11-03"))).EnsureSuccessStatusCode();
            var row = await tables.Reports.GetEntityAsync<TableEntity>(county, ReportKeys.RevisionRow(day, unit, 1), ["Timestamp"]);
            return row.Value.Timestamp!.Value;
        }

        var before = await WriteAsync("623026100");
        var after = await WriteAsync("623026101");
        Assert.True(after > before, $"{after:o} is not after {before:o}");
        // Whole milliseconds on both sides (Azurite compares at 1 ms): no revision of the day is stamped in [before, after) but the first.
        var between = new DateTimeOffset(before.Ticks - (before.Ticks % TimeSpan.TicksPerMillisecond) + TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        Assert.True(after >= between, $"{after:o} shares the millisecond of {before:o}");

        var store = Host.Services.GetRequiredService<ReportStore>();
        async Task<int> CountAsync(DateTimeOffset? since) => (await store.CountRevisionsSinceAsync([(day, since)], county, default))[day];
        Assert.Equal(2, await CountAsync(null));
        Assert.Equal(2, await CountAsync(before.AddSeconds(-1)));
        Assert.Equal(1, await CountAsync(between));
        Assert.Equal(0, await CountAsync(after.AddSeconds(1)));

        // The rollup's read counts the same rows on the client: the day's, not the day before's.
        async Task<int> ReadAsync(DateTimeOffset since)
        {
            var written = new RevisionCount(since);
            await store.ReadDaysForRollupAsync(day.AddDays(-1), day, county, default, written).CountAsync();
            return written.Count;
        }

        Assert.Equal(2, await ReadAsync(before.AddSeconds(-1)));
        Assert.Equal(1, await ReadAsync(between));
        Assert.Equal(0, await ReadAsync(after.AddSeconds(1)));
    }

    [Fact]
    public async Task The_rollups_read_asks_for_no_metadata_and_maps_every_value_as_the_full_read_does()
    {
        // Maqu, a day no other test reports on: whole numbers (Int64: their text without metadata), a decimal, a note, a
        // correction (only the newest revision is read).
        const string county = "623025";
        var day = new DateOnly(2026, 11, 5);
        using var admin = Host.AdminClient();
        for (var i = 0; i < 3; i++)
        {
            var values = Reports.ValidValues();
            values["returnees"] = 900_000 + i;
            values["donatedCashYuan"] = 1500.25m + i;
            var report = Reports.Valid(unit: $"62302510{i}", date: "2026-11-05", values: values);
            report["notes"] = $"第{i}次";
            await admin.SubmitAsync(report);
        }

        await admin.SubmitAsync(Reports.WithReturnees("623025101", 7, date: "2026-11-05"));

        var queries = new System.Collections.Concurrent.ConcurrentQueue<StorageRequest>();
        storage.BeforeSend = request =>
        {
            if (request.Method == "GET" && request.Path.EndsWith("/countyreports()", StringComparison.Ordinal))
            {
                queries.Enqueue(request);
            }

            return Task.CompletedTask;
        };
        var store = Host.Services.GetRequiredService<ReportStore>();
        var mapper = Host.Services.GetRequiredService<ReportEntityMapper>();
        var indicators = Host.Services.GetRequiredService<ReportShape>().Indicators;
        var written = new RevisionCount(DateTimeOffset.MinValue);
        List<(RollupRevision Revision, Dictionary<string, decimal> Values)> lean;
        List<StoredReport> full;
        try
        {
            lean = await store.ReadDaysForRollupAsync(day, day, county, default, written).Select(row =>
            {
                var (values, present) = (new decimal[indicators.Count], new bool[indicators.Count]);
                var revision = mapper.ReadRollupRow(row, values, present);
                return (revision, indicators.Select((indicator, i) => (indicator.Key, i)).Where(p => present[p.i])
                    .ToDictionary(p => p.Key, p => values[p.i]));
            }).ToListAsync();
            Assert.Contains("odata=nometadata", Assert.Single(queries).Query, StringComparison.Ordinal);
            full = await store.ReadDayAsync(day, county, default).ToListAsync();
        }
        finally
        {
            storage.BeforeSend = null;
        }

        Assert.Equal(3, lean.Count);
        Assert.Equal(4, written.Count); // every revision of the day read, each with its Timestamp
        Assert.Equal([1, 2, 1], lean.Select(r => r.Revision.Revision));
        Assert.Equal([900_000m, 7m, 900_002m], lean.Select(r => r.Values["returnees"]));
        Assert.Equal(1502.25m, lean[2].Values["donatedCashYuan"]);
        foreach (var ((read, values), whole) in lean.Zip(full))
        {
            Assert.Equal((whole.UnitCode, ReportKeys.Day(whole.ReportDate), whole.Revision, whole.Late, whole.Notes, whole.ReporterName, whole.ReporterPhone),
                (read.UnitCode.ToString(), read.ReportDate.ToString(), read.Revision, read.Late, read.Notes, read.ReporterName, read.ReporterPhone));
            Assert.Equal(whole.Values.OrderBy(v => v.Key), values.OrderBy(v => v.Key));
            Assert.Equal(whole.Warnings, read.Warnings);
        }
    }
}
