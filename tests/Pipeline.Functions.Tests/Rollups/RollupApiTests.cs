using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IO;
using Polly.Registry;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Units;
using Pipeline.Testing;
using static Pipeline.Testing.ResponseJson;

namespace Pipeline.Functions.Tests.Rollups;

/// <summary>
/// The rollup through the API, on hand-computed fixtures. Every test uses its own dates; the cumulative test
/// uses the earliest, since cumulative figures sum every built day before.
/// </summary>
[Collection(RollupAzuriteCollection.Name)]
public sealed class RollupApiTests(AzuriteFixture azurite) : HostedTests(azurite)
{

    private static Task SubmitAsync(HttpClient client, string unit, string date, Dictionary<string, object?> values) =>
        client.SubmitAsync(Reports.Valid(unit: unit, date: date, values: values));

    private static Dictionary<string, decimal> Map(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDecimal());

    private static int TownshipCount(string scope) => UnitRegistry.LoadEmbedded().TownshipsWithin(scope).Count;

    [Fact]
    public async Task Totals_cumulative_and_changes_match_hand_computed_figures_and_not_reported_is_not_zero()
    {
        using var admin = Host.AdminClient();
        // Day 1: two Diebu townships.
        await SubmitAsync(admin, "623024100", "2026-01-01", new() { ["returnees"] = 10, ["fromEpidemicAreas"] = 2, ["homeQuarantine"] = 5, ["feverReferred"] = 0, ["donatedCashYuan"] = 100.50m });
        await SubmitAsync(admin, "623024101", "2026-01-01", new() { ["returnees"] = 5, ["fromEpidemicAreas"] = 1, ["homeQuarantine"] = 3, ["feverReferred"] = 1 });
        // Day 2: one of them again, and a Hezuo street; centralQuarantine reported as 0 by one unit.
        await SubmitAsync(admin, "623024100", "2026-01-02", new() { ["returnees"] = 7, ["fromEpidemicAreas"] = 0, ["homeQuarantine"] = 4, ["feverReferred"] = 0, ["centralQuarantine"] = 0 });
        await SubmitAsync(admin, "623001001", "2026-01-02", new() { ["returnees"] = 3, ["fromEpidemicAreas"] = 3, ["homeQuarantine"] = 2, ["feverReferred"] = 2 });

        var first = await Json(await admin.PostAsync("api/rollups/2026-01-01", null));
        Assert.Equal(1, first.GetProperty("revision").GetInt32());
        var manifest = await Json(await admin.PostAsync("api/rollups/2026-01-02", null));
        Assert.Equal(1, manifest.GetProperty("revision").GetInt32());
        Assert.False(manifest.GetProperty("stale").GetBoolean());
        Assert.Equal(["json", "xlsx", "csv", "pdf"], manifest.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("format").GetString()));

        var rollup = await Json(await admin.GetAsync("api/rollups/2026-01-02/files/rollup.json"));
        Assert.Equal("2026-01-02", rollup.GetProperty("date").GetString());
        Assert.Equal("623000", rollup.GetProperty("prefecture").GetProperty("code").GetString());
        Assert.Equal(new Dictionary<string, decimal>
        {
            ["returnees"] = 10, ["fromEpidemicAreas"] = 3, ["homeQuarantine"] = 6, ["centralQuarantine"] = 0, ["feverReferred"] = 2,
        }, Map(rollup.GetProperty("totals")));
        // Flows and money summed over both days; stocks have no cumulative; money reported only on day 1 still counts.
        Assert.Equal(new Dictionary<string, decimal>
        {
            ["returnees"] = 25, ["fromEpidemicAreas"] = 6, ["feverReferred"] = 3, ["donatedCashYuan"] = 100.50m,
        }, Map(rollup.GetProperty("cumulative")));
        // Like for like: only 623024100 reported on both days (7 - 10, 0 - 2, 4 - 5, 0 - 0); centralQuarantine only on day 2.
        Assert.Equal(new Dictionary<string, decimal>
        {
            ["returnees"] = -3, ["fromEpidemicAreas"] = -2, ["homeQuarantine"] = -1, ["feverReferred"] = 0,
        }, Map(rollup.GetProperty("changes")));
        Assert.Equal(new Dictionary<string, decimal>
        {
            ["returnees"] = 1, ["fromEpidemicAreas"] = 1, ["homeQuarantine"] = 1, ["feverReferred"] = 1,
        }, Map(rollup.GetProperty("changeUnits")));
        Assert.Equal(2, rollup.GetProperty("previousCompleteness").GetProperty("reported").GetInt32());
        Assert.False(rollup.GetProperty("provisional").GetBoolean());

        var completeness = rollup.GetProperty("completeness");
        Assert.Equal(TownshipCount("623000"), completeness.GetProperty("expected").GetInt32());
        Assert.Equal(2, completeness.GetProperty("reported").GetInt32());
        Assert.Equal(0, completeness.GetProperty("onTime").GetInt32());
        Assert.Equal(2, completeness.GetProperty("late").GetInt32());
        var missing = completeness.GetProperty("missing").EnumerateArray().Select(m => m.GetProperty("code").GetString()).ToList();
        Assert.Equal(TownshipCount("623000") - 2, missing.Count);
        Assert.Contains("623024101", missing);
        Assert.DoesNotContain("623024100", missing);

        var diebu = rollup.GetProperty("counties").EnumerateArray().Single(c => c.GetProperty("code").GetString() == "623024");
        Assert.Equal(TownshipCount("623024"), diebu.GetProperty("expected").GetInt32());
        Assert.Equal(1, diebu.GetProperty("reported").GetInt32());
        Assert.Equal(7, diebu.GetProperty("totals").GetProperty("returnees").GetDecimal());
        var maqu = rollup.GetProperty("counties").EnumerateArray().Single(c => c.GetProperty("code").GetString() == "623025");
        Assert.Empty(maqu.GetProperty("totals").EnumerateObject());

        var units = rollup.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("code").GetString()!);
        Assert.Equal(TownshipCount("623000"), units.Count);
        Assert.False(units["623024101"].GetProperty("reported").GetBoolean());
        Assert.Empty(units["623024101"].GetProperty("values").EnumerateObject());
        Assert.True(units["623024100"].GetProperty("reported").GetBoolean());
        Assert.Equal(1, units["623024100"].GetProperty("revision").GetInt32());
        Assert.Equal(0, units["623024100"].GetProperty("values").GetProperty("centralQuarantine").GetDecimal());
        Assert.False(units["623024100"].GetProperty("values").TryGetProperty("fromWuhan", out _));
    }

    [Fact]
    public async Task A_correction_makes_the_day_stale_the_timer_builds_revision_2_and_revision_1_stays_downloadable()
    {
        const string day = "2026-11-20";
        var (_, token) = await Host.IssueTokenAsync("reporter", "623024103");
        using var reporter = Host.Client(token);
        using var admin = Host.AdminClient();
        await SubmitAsync(reporter, "623024103", day, new() { ["returnees"] = 4, ["fromEpidemicAreas"] = 1, ["homeQuarantine"] = 2, ["feverReferred"] = 0 });

        var built = await Json(await admin.PostAsync($"api/rollups/{day}", null));
        Assert.Equal(1, built.GetProperty("revision").GetInt32());
        // The same inputs again: no new revision.
        var again = await Json(await admin.PostAsync($"api/rollups/{day}", null));
        Assert.Equal(1, again.GetProperty("revision").GetInt32());
        Assert.Equal(built.GetProperty("files")[0].GetProperty("sha256").GetString(), again.GetProperty("files")[0].GetProperty("sha256").GetString());

        await SubmitAsync(reporter, "623024103", day, new() { ["returnees"] = 9, ["fromEpidemicAreas"] = 1, ["homeQuarantine"] = 2, ["feverReferred"] = 0 });
        var stale = await Json(await admin.GetAsync($"api/rollups/{day}"));
        Assert.True(stale.GetProperty("stale").GetBoolean());
        Assert.Equal(1, stale.GetProperty("revision").GetInt32());

        // The nightly run rebuilds stale days within the correction window (and builds yesterday).
        var scheduled = await Host.Services.GetRequiredService<RollupScheduler>().RunAsync(isPastDue: false, CancellationToken.None);
        Assert.Contains(scheduled, s => s.Date == new DateOnly(2026, 11, 20) && s.Result.Created && s.Result.Manifest.Revision == 2);
        Assert.Contains(scheduled, s => s.Date == new DateOnly(2026, 11, 26));

        var latest = await Json(await admin.GetAsync($"api/rollups/{day}"));
        Assert.Equal(2, latest.GetProperty("revision").GetInt32());
        Assert.False(latest.GetProperty("stale").GetBoolean());
        var old = await Json(await admin.GetAsync($"api/rollups/{day}?revision=1"));
        Assert.True(old.GetProperty("stale").GetBoolean());
        var oldJson = await Json(await admin.GetAsync(old.GetProperty("files")[0].GetProperty("url").GetString()!.TrimStart('/')));
        Assert.Equal(4, oldJson.GetProperty("totals").GetProperty("returnees").GetDecimal());
        Assert.Equal(1, oldJson.GetProperty("revision").GetInt32());
        var newJson = await Json(await admin.GetAsync($"api/rollups/{day}/files/rollup.json"));
        Assert.Equal(9, newJson.GetProperty("totals").GetProperty("returnees").GetDecimal());
        Assert.Equal(2, newJson.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("code").GetString() == "623024103").GetProperty("revision").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/rollups/{day}?revision=3")).StatusCode);

        var list = await Json(await admin.GetAsync("api/rollups?from=2026-11-20&to=2026-11-26"));
        var dates = list.EnumerateArray().Select(m => m.GetProperty("date").GetString()!).ToList();
        Assert.Equal(dates.Order(), dates);
        Assert.Contains("2026-11-20", dates);
        Assert.Contains("2026-11-26", dates);
        Assert.DoesNotContain("2026-11-27", dates);
    }

    [Fact]
    public async Task A_report_written_after_the_build_read_its_county_leaves_the_day_stale_for_the_prefecture_and_the_county()
    {
        const string county = "623024";
        async Task ReportAsync(string unit)
        {
            using var client = Host.AdminClient();
            await SubmitAsync(client, unit, "2026-11-17", Reports.ValidValues());
        }

        await ReportAsync("623024205");
        // The report lands once the build has read Diebu's rows of the day (and the day before), while it goes on with the rest.
        var fired = 0;
        var landed = new StorageFaultPolicy
        {
            AfterAnswer = async request =>
            {
                if (request.Query.Contains($"PartitionKey eq '{county}'", StringComparison.Ordinal) && request.Query.Contains("r_20261116_", StringComparison.Ordinal)
                    && Interlocked.Exchange(ref fired, 1) == 0)
                {
                    await ReportAsync("623024206");
                }
            },
        };
        await using var watched = await PipelineHost.StartAsync(Azurite.ConnectionString, configure: landed.Install);
        using var admin = watched.AdminClient();

        var built = await Json(await admin.PostAsync("api/rollups/2026-11-17", null));

        Assert.Equal(1, fired);
        Assert.Equal(1, built.GetProperty("completeness").GetProperty("reported").GetInt32());
        Assert.True((await Json(await admin.GetAsync("api/rollups/2026-11-17"))).GetProperty("stale").GetBoolean());
        Assert.True((await Json(await admin.GetAsync($"api/rollups/2026-11-17?scope={county}"))).GetProperty("stale").GetBoolean());
        // Another county's rollup read nothing that changed.
        Assert.False((await Json(await admin.GetAsync("api/rollups/2026-11-17?scope=623001"))).GetProperty("stale").GetBoolean());

        var rebuilt = await Json(await admin.PostAsync("api/rollups/2026-11-17", null));
        Assert.Equal(2, rebuilt.GetProperty("completeness").GetProperty("reported").GetInt32());
        Assert.False((await Json(await admin.GetAsync("api/rollups/2026-11-17"))).GetProperty("stale").GetBoolean());
    }

    [Fact]
    public async Task An_index_row_written_before_read_windows_is_stale_once_its_area_holds_a_revision_of_the_day_until_rebuilt()
    {
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623024205", "2026-11-05", Reports.ValidValues());
        await Json(await admin.PostAsync("api/rollups/2026-11-05", null));
        await Json(await admin.PostAsync("api/rollups/2026-11-06", null)); // a day without reports
        // The rows as the day marks' design wrote them: a fingerprint of marks, no read window.
        var tables = Host.Services.GetRequiredService<StorageTables>();
        foreach (var (partition, day) in new[] { ("day", "2026-11-05"), ("day-623024", "2026-11-05"), ("day", "2026-11-06") })
        {
            var row = (await tables.Rollups.GetEntityAsync<TableEntity>(partition, day)).Value;
            Assert.NotNull(row.GetDateTimeOffset("readFrom"));
            row.Remove("readFrom");
            row.Remove("readCount");
            row["changeMarks"] = Convert.ToHexStringLower(SHA256.HashData([]));
            await tables.Rollups.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        }

        Assert.True((await Json(await admin.GetAsync("api/rollups/2026-11-05"))).GetProperty("stale").GetBoolean());
        Assert.True((await Json(await admin.GetAsync("api/rollups/2026-11-05?scope=623024"))).GetProperty("stale").GetBoolean());
        Assert.False((await Json(await admin.GetAsync("api/rollups/2026-11-06"))).GetProperty("stale").GetBoolean());
        var listed = await Json(await admin.GetAsync("api/rollups?from=2026-11-05&to=2026-11-06"));
        Assert.Equal([true, false], listed.EnumerateArray().Select(e => e.GetProperty("stale").GetBoolean()));

        await Json(await admin.PostAsync("api/rollups/2026-11-05", null));
        Assert.False((await Json(await admin.GetAsync("api/rollups/2026-11-05"))).GetProperty("stale").GetBoolean());
        Assert.False((await Json(await admin.GetAsync("api/rollups/2026-11-05?scope=623024"))).GetProperty("stale").GetBoolean());
    }

    [Fact]
    public async Task A_countys_files_are_written_while_other_counties_are_still_being_read()
    {
        using (var client = Host.AdminClient())
        {
            await SubmitAsync(client, "623024205", "2026-11-16", Reports.ValidValues());
            await SubmitAsync(client, "623001001", "2026-11-16", Reports.ValidValues());
        }

        // Hezuo's read waits until Diebu's rollup.json is created (or 30 s pass: then the build did not stream).
        var held = new ReadHeldUntil("623001", "2026-11-16",
            request => request.Method == "PUT" && request.Path.Contains("/rollups/2026-11-16/623024/r0001/rollup.json", StringComparison.Ordinal));
        await using var watched = await PipelineHost.StartAsync(Azurite.ConnectionString, configure: held.Hook.Install);
        using var admin = watched.AdminClient();

        var built = await Json(await admin.PostAsync("api/rollups/2026-11-16", null));

        Assert.True(held.WaitedFor, "Diebu's files were not written while Hezuo's rows were still to be read");
        Assert.Equal(2, built.GetProperty("completeness").GetProperty("reported").GetInt32());
        var hezuo = await Json(await admin.GetAsync("api/rollups/2026-11-16/files/rollup.json?scope=623001"));
        Assert.Equal(1, hezuo.GetProperty("completeness").GetProperty("reported").GetInt32());
    }

    /// <summary>The host with <paramref name="hook"/> on its storage and files over 4 KB staged in blocks as they are written.</summary>
    private Task<PipelineHost> SmallBlocksHostAsync(StorageFaultPolicy hook) => PipelineHost.StartAsync(Azurite.ConnectionString, configure: builder =>
    {
        hook.Install(builder);
        builder.Services.AddSingleton(sp => new RollupStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<UnitRegistry>(),
            sp.GetRequiredService<IOptions<RollupLeaseOptions>>(), sp.GetRequiredService<ResiliencePipelineProvider<string>>(),
            sp.GetRequiredService<RecyclableMemoryStreamManager>()) { SingleUploadBytes = 512 });
    });

    private static bool IsBlockOf(StorageRequest request, string path) =>
        request.Method == "PUT" && request.Path.Contains(path, StringComparison.Ordinal) && request.Query.Contains("comp=block", StringComparison.Ordinal)
        && !request.Query.Contains("blocklist", StringComparison.Ordinal);

    [Fact]
    public async Task The_prefectures_json_is_written_while_its_last_county_is_still_being_read()
    {
        using (var client = Host.AdminClient())
        {
            await SubmitAsync(client, "623001001", "2026-11-13", Reports.ValidValues());
            await SubmitAsync(client, "623027100", "2026-11-13", Reports.ValidValues());
        }

        // The last county's read (Xiahe, 623027) waits until a block of the prefecture's rollup.json is staged (or 30 s pass:
        // then the prefecture's JSON was not written while its counties were read).
        var held = new ReadHeldUntil("623027", "2026-11-13", request => IsBlockOf(request, "/rollups/2026-11-13/r0001/rollup.json"));
        await using var watched = await SmallBlocksHostAsync(held.Hook);
        using var admin = watched.AdminClient();

        var built = await Json(await admin.PostAsync("api/rollups/2026-11-13", null));

        Assert.True(held.WaitedFor, "the prefecture's rollup.json was not written while Xiahe's rows were still to be read");
        Assert.Equal(2, built.GetProperty("completeness").GetProperty("reported").GetInt32());
        var file = await admin.GetAsync("api/rollups/2026-11-13/files/rollup.json");
        var bytes = await file.Content.ReadAsByteArrayAsync();
        var json = JsonDocument.Parse(bytes).RootElement;
        var units = json.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("code").GetString()).ToList();
        Assert.Equal(UnitRegistry.LoadEmbedded().TownshipsWithin("623000").Select(t => t.Code).Order(StringComparer.Ordinal), units);
        Assert.Equal(2, json.GetProperty("completeness").GetProperty("reported").GetInt32());
        Assert.Equal(1, json.GetProperty("revision").GetInt32());
        var listed = built.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "rollup.json");
        Assert.Equal(bytes.Length, listed.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), listed.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task A_prefecture_revision_begun_while_reading_whose_content_turns_out_unchanged_stays_invisible_and_the_next_change_is_made()
    {
        const string day = "2026-11-08";
        var date = new DateOnly(2026, 11, 8);
        // In the second build, the prefecture's row is saved (its revision kept) only once a block of its revision 2 is
        // staged, or 30 s passed.
        var second = false;
        var held = new ReadHeldUntil("623024", day, request => IsBlockOf(request, $"/rollups/{day}/r0002/rollup.json"))
        {
            Holds = request => second && request.Method is "PUT" or "MERGE" or "PATCH"
                && Uri.UnescapeDataString(request.Path).EndsWith($"/rollups(PartitionKey='day',RowKey='{day}')", StringComparison.Ordinal),
        };
        await using var host = await SmallBlocksHostAsync(held.Hook);
        using var admin = host.AdminClient();
        await SubmitAsync(admin, "623024205", day, Reports.ValidValues());
        Assert.Equal(1, (await Json(await admin.PostAsync($"api/rollups/{day}", null))).GetProperty("revision").GetInt32());
        // Diebu's row now says its content was something else (as a row hashed another way would): the next build finds the
        // county changed, begins the prefecture's revision 2 while reading, and finds the prefecture's content unchanged.
        var rows = host.Services.GetRequiredService<StorageTables>().Rollups;
        await rows.UpdateEntityAsync(new TableEntity("day-623024", day) { ["contentHash"] = new string('0', 64) }, Azure.ETag.All, TableUpdateMode.Merge);
        second = true;

        var again = await Json(await admin.PostAsync($"api/rollups/{day}", null));

        Assert.True(held.WaitedFor, "the prefecture's revision 2 was not begun while the counties were read");
        Assert.Equal(1, again.GetProperty("revision").GetInt32());
        var store = host.Services.GetRequiredService<RollupStore>();
        Assert.False((await store.BlobOf(store.PathOf(date, "623000", 2, "rollup.json")).ExistsAsync()).Value);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/rollups/{day}?revision=2")).StatusCode);
        Assert.Equal(1, (await Json(await admin.GetAsync($"api/rollups/{day}"))).GetProperty("revision").GetInt32());
        Assert.Equal(2, (await Json(await admin.GetAsync($"api/rollups/{day}?scope=623024"))).GetProperty("revision").GetInt32());

        // A real change: revision 2 is made, whatever the dropped one staged, and reads back as the day.
        await SubmitAsync(admin, "623024205", day, new() { ["returnees"] = 30, ["fromEpidemicAreas"] = 3, ["homeQuarantine"] = 3, ["feverReferred"] = 0 });
        var changed = await Json(await admin.PostAsync($"api/rollups/{day}", null));

        Assert.Equal(2, changed.GetProperty("revision").GetInt32());
        var json = await Json(await admin.GetAsync($"api/rollups/{day}/files/rollup.json"));
        Assert.Equal(2, json.GetProperty("revision").GetInt32());
        Assert.Equal(30, json.GetProperty("totals").GetProperty("returnees").GetDecimal());
        Assert.Equal(1, json.GetProperty("revisionChanges").GetProperty("previousRevision").GetInt32());
        Assert.Equal(TownshipCount("623000"), json.GetProperty("units").GetArrayLength());
    }

    [Fact]
    public async Task A_prefecture_json_the_storage_refuses_while_the_counties_are_read_fails_the_build_and_the_next_build_makes_it()
    {
        const string day = "2026-11-07";
        var refused = 0;
        var faults = new StorageFaultPolicy
        {
            Refuse = request =>
            {
                var refuse = Volatile.Read(ref refused) >= 0 && IsBlockOf(request, $"/rollups/{day}/r0001/rollup.json");
                if (refuse)
                {
                    Interlocked.Increment(ref refused);
                }

                return refuse;
            },
            RefuseStatus = 503,
        };
        await using var faulty = await SmallBlocksHostAsync(faults);
        using var admin = faulty.AdminClient();
        await SubmitAsync(admin, "623024205", day, Reports.ValidValues());
        await SubmitAsync(admin, "623001001", day, Reports.ValidValues());

        var failed = await admin.PostAsync($"api/rollups/{day}", null);

        Assert.False(failed.IsSuccessStatusCode);
        Assert.True(refused > 0);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/rollups/{day}")).StatusCode);
        Volatile.Write(ref refused, int.MinValue);
        var built = await Json(await admin.PostAsync($"api/rollups/{day}", null));
        Assert.Equal(1, built.GetProperty("revision").GetInt32());
        Assert.Equal(2, built.GetProperty("completeness").GetProperty("reported").GetInt32());
        var json = await Json(await admin.GetAsync($"api/rollups/{day}/files/rollup.json"));
        Assert.Equal(2, json.GetProperty("completeness").GetProperty("reported").GetInt32());
        Assert.Equal(TownshipCount("623000"), json.GetProperty("units").GetArrayLength());
        Assert.Equal(24, json.GetProperty("totals").GetProperty("returnees").GetDecimal());
    }

    [Fact]
    public async Task A_county_whose_file_cannot_be_written_fails_the_build_and_the_next_build_makes_every_area()
    {
        using (var client = Host.AdminClient())
        {
            await SubmitAsync(client, "623024205", "2026-11-15", Reports.ValidValues());
        }

        var faults = new StorageFaultPolicy
        {
            Refuse = request => request.Method == "PUT" && request.Path.Contains("/rollups/2026-11-15/623024/r0001/rollup.csv", StringComparison.Ordinal),
            RefuseStatus = 503,
        };
        await using var faulty = await PipelineHost.StartAsync(Azurite.ConnectionString, configure: faults.Install);
        using var admin = faulty.AdminClient();

        var failed = await admin.PostAsync("api/rollups/2026-11-15", null);

        Assert.False(failed.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("api/rollups/2026-11-15?scope=623024")).StatusCode);
        faults.Refuse = null;
        var built = await Json(await admin.PostAsync("api/rollups/2026-11-15", null));
        Assert.Equal(1, built.GetProperty("completeness").GetProperty("reported").GetInt32());
        var diebu = await Json(await admin.GetAsync("api/rollups/2026-11-15?scope=623024"));
        Assert.Equal(1, diebu.GetProperty("revision").GetInt32());
        Assert.Contains(diebu.GetProperty("files").EnumerateArray(), f => f.GetProperty("name").GetString() == "rollup.csv");
    }

    [Fact]
    public async Task A_build_replaces_the_files_that_a_build_stopped_midway_left_unrecorded()
    {
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623024203", "2026-11-19", Reports.ValidValues());
        // A host that shut down mid-build wrote Diebu's first files, but never recorded the revision.
        var store = Host.Services.GetRequiredService<RollupStore>();
        await store.BlobOf(store.PathOf(new DateOnly(2026, 11, 19), "623024", 1, "rollup.json")).UploadAsync(BinaryData.FromString("{}"));

        var built = await Json(await admin.PostAsync("api/rollups/2026-11-19?scope=623024", null));

        Assert.Equal(1, built.GetProperty("revision").GetInt32());
        var json = await Json(await admin.GetAsync("api/rollups/2026-11-19/files/rollup.json?scope=623024"));
        Assert.Equal("623024", json.GetProperty("scope").GetProperty("code").GetString());
        Assert.Equal(1, json.GetProperty("completeness").GetProperty("reported").GetInt32());
    }

    [Fact]
    public async Task A_link_downloads_the_file_straight_from_blob_storage_for_its_readers_is_logged_and_expires()
    {
        // Azurite checks a SAS against the real clock: this host's clock is the real one, links live 3 seconds.
        await using var linked = await PipelineHost.StartAsync(Azurite.ConnectionString, new Dictionary<string, string?> { ["Pipeline:RollupLinkSeconds"] = "3" });
        using var admin = linked.AdminClient();
        await SubmitAsync(admin, "623024207", "2026-11-18", Reports.ValidValues());
        await Json(await admin.PostAsync("api/rollups/2026-11-18", null));
        var (countyId, countyToken) = await linked.IssueTokenAsync("official", "623024");
        using var county = linked.Client(countyToken);
        var manifest = await Json(await county.GetAsync("api/rollups/2026-11-18"));
        var pdf = manifest.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "rollup.pdf");

        linked.Time.SetUtcNow(DateTimeOffset.UtcNow);
        var link = await Json(await county.GetAsync(pdf.GetProperty("link").GetString()!.TrimStart('/')));
        var expiresAt = link.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        var url = new Uri(link.GetProperty("url").GetString()!);
        Assert.Contains("sp=r", url.Query);
        Assert.Contains("/rollups/2026-11-18/623024/r0001/rollup.pdf", url.AbsolutePath);

        // A plain client, no token: the storage serves the file itself, as a download under its name.
        using var plain = new HttpClient();
        using (var download = await plain.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(pdf.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(await download.Content.ReadAsByteArrayAsync())));
            Assert.Equal("rollup-2026-11-18-623024-r1.pdf", download.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        }

        // The link reads that one blob only, and writes nothing.
        var sibling = new Uri(url.GetLeftPart(UriPartial.Path).Replace("rollup.pdf", "rollup.json", StringComparison.Ordinal) + url.Query);
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync(sibling)).StatusCode);
        using (var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent([1]) })
        {
            put.Headers.Add("x-ms-blob-type", "BlockBlob");
            Assert.Equal(HttpStatusCode.Forbidden, (await plain.SendAsync(put)).StatusCode);
        }

        // Another county's link is refused like its file.
        Assert.Equal(HttpStatusCode.Forbidden, (await county.GetAsync("api/rollups/2026-11-18/files/rollup.pdf/link?scope=623001")).StatusCode);

        // Every link issued is in the log, for admins.
        var log = await Json(await admin.GetAsync("api/rollups/links?date=2026-11-18"));
        var entry = Assert.Single(log.EnumerateArray());
        Assert.Equal(countyId, entry.GetProperty("tokenId").GetString());
        Assert.Equal("rollup.pdf", entry.GetProperty("file").GetString());
        Assert.Equal(1, entry.GetProperty("revision").GetInt32());
        Assert.Equal("623024", entry.GetProperty("scope").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await county.GetAsync("api/rollups/links?date=2026-11-18")).StatusCode);

        // Once expired (a real wait: the storage keeps the time), the link no longer downloads.
        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Two_builds_at_once_make_one_revision()
    {
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623024104", "2026-11-21", Reports.ValidValues());
        var both = await Task.WhenAll(admin.PostAsync("api/rollups/2026-11-21", null), admin.PostAsync("api/rollups/2026-11-21", null));
        foreach (var response in both)
        {
            Assert.Equal(1, (await Json(response)).GetProperty("revision").GetInt32());
        }
    }

    [Fact]
    public async Task Files_open_cleanly_with_hashes_headers_bom_and_numbers_as_numbers()
    {
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623024201", "2026-11-22", new() { ["returnees"] = 12, ["fromEpidemicAreas"] = 3, ["homeQuarantine"] = 3, ["feverReferred"] = 0, ["donatedCashYuan"] = 250.75m });
        var manifest = await Json(await admin.PostAsync("api/rollups/2026-11-22", null));
        var files = new Dictionary<string, byte[]>();
        foreach (var file in manifest.GetProperty("files").EnumerateArray())
        {
            var response = await admin.GetAsync(file.GetProperty("url").GetString()!.TrimStart('/'));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(file.GetProperty("bytes").GetInt64(), bytes.Length);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            files[file.GetProperty("format").GetString()!] = bytes;
        }

        Assert.Equal("%PDF", Encoding.ASCII.GetString(files["pdf"], 0, 4));

        var csv = files["csv"];
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csv[..3]);
        var lines = Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("代码,县（市）,应报,已报,按时,迟报,未报,返乡人员,", lines[0]);
        Assert.Equal(8 + 4 + 1, lines.Length);
        Assert.StartsWith("623024,迭部县,11,1,0,1,10,12,3,", lines.Single(l => l.StartsWith("623024,", StringComparison.Ordinal)));

        using var workbook = SpreadsheetDocument.Open(new MemoryStream(files["xlsx"]), false);
        var part = workbook.WorkbookPart!;
        var sheets = part.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal(["汇总", "乡镇明细", "未报送", "版本变化", "乡镇全部指标"], sheets.Select(s => s.Name!.Value));
        // The township sheet of every indicator: a row per unit under the title block and the header, numbers as numbers.
        var unitSheet = ((WorksheetPart)part.GetPartById(sheets[4].Id!)).Worksheet;
        var pane = unitSheet.Descendants<Pane>().Single();
        Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.PaneStateValues.Frozen, pane.State!.Value);
        var rows = unitSheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();
        var header = rows.Single(r => r.RowIndex!.Value == (uint)pane.VerticalSplit!.Value).Elements<Cell>().ToList();
        Assert.Equal("返乡人员", header[6].InnerText);
        var unit = rows.Single(r => r.Elements<Cell>().First().InnerText == "623024201").Elements<Cell>().ToList();
        Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.CellValues.Number, unit[6].DataType!.Value);
        Assert.Equal("12", unit[6].CellValue!.Text);
        Assert.Null(unit[6 + 3].CellValue); // fromWuhan: not reported, an empty cell, not 0
        Assert.Contains(unit, c => c.CellValue?.Text == "250.75");
        Assert.NotEmpty(unitSheet.Descendants<Column>());
        var missingSheet = ((WorksheetPart)part.GetPartById(sheets[2].Id!)).Worksheet;
        // Under the title and header: a heading per county and each missing unit.
        var missingRows = missingSheet.Descendants<Row>().Count(r => r.RowIndex!.Value > (uint)pane.VerticalSplit!.Value);
        Assert.Equal(TownshipCount("623000") - 1 + 8, missingRows);
    }

    [Fact]
    public async Task Officials_see_their_scope_county_officials_get_no_prefecture_rollup_and_reporters_nothing()
    {
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623024202", "2026-11-23", Reports.ValidValues());
        await Json(await admin.PostAsync("api/rollups/2026-11-23", null));

        var (_, countyToken) = await Host.IssueTokenAsync("official", "623024");
        using var county = Host.Client(countyToken);
        var own = await Json(await county.GetAsync("api/completeness/2026-11-23"));
        Assert.Equal("623024", own.GetProperty("scope").GetString());
        Assert.Equal(TownshipCount("623024"), own.GetProperty("expected").GetInt32());
        Assert.Equal(1, own.GetProperty("reported").GetInt32());
        Assert.Equal(TownshipCount("623024") - 1, own.GetProperty("missing").GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await county.GetAsync("api/completeness/2026-11-23?scope=623000")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await county.GetAsync("api/completeness/2026-11-23?scope=623001")).StatusCode);
        // A county official reads its county's rollup (by default, and by ?scope=), every file of it; no other area's.
        var manifest = await Json(await county.GetAsync("api/rollups/2026-11-23"));
        Assert.Equal("623024", manifest.GetProperty("scope").GetString());
        Assert.Equal(TownshipCount("623024"), manifest.GetProperty("completeness").GetProperty("expected").GetInt32());
        foreach (var file in manifest.GetProperty("files").EnumerateArray())
        {
            var url = file.GetProperty("url").GetString()!;
            Assert.Contains("scope=623024", url);
            using var download = await county.GetAsync(url.TrimStart('/'));
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(await download.Content.ReadAsByteArrayAsync())));
            Assert.StartsWith($"rollup-2026-11-23-623024-r{manifest.GetProperty("revision").GetInt32()}.", download.Content.Headers.ContentDisposition!.FileName);
        }

        var countyJson = await Json(await county.GetAsync("api/rollups/2026-11-23/files/rollup.json?scope=623024"));
        Assert.Equal("623024", countyJson.GetProperty("scope").GetProperty("code").GetString());
        Assert.All(countyJson.GetProperty("units").EnumerateArray(), u => Assert.Equal("623024", u.GetProperty("countyCode").GetString()));
        Assert.Single(await Json(await county.GetAsync("api/rollups?from=2026-11-23&to=2026-11-23")) is { } listed ? listed.EnumerateArray() : default);
        foreach (var other in new[] { "623000", "623001" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await county.GetAsync($"api/rollups/2026-11-23?scope={other}")).StatusCode);
            foreach (var name in new[] { "rollup.json", "rollup.xlsx", "rollup.csv", "rollup.pdf" })
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await county.GetAsync($"api/rollups/2026-11-23/files/{name}?scope={other}")).StatusCode);
            }

            Assert.Equal(HttpStatusCode.Forbidden, (await county.GetAsync($"api/rollups?scope={other}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await county.PostAsync("api/rollups/2026-11-23", null)).StatusCode);

        var (_, reporterToken) = await Host.IssueTokenAsync("reporter", "623024202");
        using var reporter = Host.Client(reporterToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync("api/completeness/2026-11-23")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync("api/rollups/2026-11-23/files/rollup.csv")).StatusCode);

        var (_, prefectureToken) = await Host.IssueTokenAsync("official", "623000");
        using var prefecture = Host.Client(prefectureToken);
        Assert.Equal(HttpStatusCode.OK, (await prefecture.GetAsync("api/rollups/2026-11-23/files/rollup.pdf")).StatusCode);
        var all = await Json(await prefecture.GetAsync("api/completeness/2026-11-23"));
        Assert.Equal(TownshipCount("623000"), all.GetProperty("expected").GetInt32());
        // A day no test of this collection builds (2026-11-24 is built by another test, which may run first).
        Assert.Equal(HttpStatusCode.NotFound, (await prefecture.GetAsync("api/rollups/2026-11-10")).StatusCode);
        Assert.Equal("623001", (await Json(await prefecture.GetAsync("api/rollups/2026-11-23?scope=623001"))).GetProperty("scope").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await prefecture.GetAsync("api/rollups/2026-11-23?scope=623024202")).StatusCode);
        // Prefecture officials may rebuild; nobody may build a day that has not come (the pinned clock says 2026-11-27).
        Assert.Equal(HttpStatusCode.OK, (await prefecture.PostAsync("api/rollups/2026-11-23", null)).StatusCode);
        using var future = await admin.PostAsync("api/rollups/2026-11-28", null);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("\"date\"", await future.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await prefecture.GetAsync("api/rollups/2026-11-28")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client().GetAsync("api/rollups/2026-11-23")).StatusCode);
    }

    [Fact]
    public async Task A_manifest_too_large_for_its_index_row_is_kept_in_its_blob_and_still_served()
    {
        // 800 townships, none reported: the missing list alone is more than a table property holds (64 KiB).
        var units = new List<AdminUnit>
        {
            new("620000", "测试省", "Test province", UnitLevel.Prefecture, null),
            new("620101", "测试县", "Test county", UnitLevel.County, "620000"),
        };
        units.AddRange(Enumerable.Range(0, 800).Select(t => new AdminUnit($"620101{t:D3}", $"测试乡镇{t}号", $"Township {t}", UnitLevel.Township, "620101")));
        await using var large = await PipelineHost.StartAsync(
            Azurite.ConnectionString, configure: builder => builder.Services.AddSingleton(new UnitRegistry(units)));
        large.Time.SetUtcNow(new DateTimeOffset(2029, 12, 2, 4, 0, 0, TimeSpan.Zero));
        using var admin = large.AdminClient();
        // A date after every other test's, so no day of theirs is marked stale by this first build.
        var built = await Json(await admin.PostAsync("api/rollups/2029-12-01", null));
        Assert.True(RollupIndex.MaxInlineManifestChars < JsonSerializer.Serialize(built.GetProperty("completeness")).Length);
        Assert.Equal(800, built.GetProperty("completeness").GetProperty("missing").GetArrayLength());

        var latest = await Json(await admin.GetAsync("api/rollups/2029-12-01"));
        Assert.Equal(800, latest.GetProperty("completeness").GetProperty("missing").GetArrayLength());
        var listed = await Json(await admin.GetAsync("api/rollups?from=2029-11-30&to=2029-12-01"));
        Assert.Equal(800, Assert.Single(listed.EnumerateArray()).GetProperty("completeness").GetProperty("missing").GetArrayLength());
        var again = await Json(await admin.PostAsync("api/rollups/2029-12-01", null));
        Assert.Equal(1, again.GetProperty("revision").GetInt32());
    }
}
