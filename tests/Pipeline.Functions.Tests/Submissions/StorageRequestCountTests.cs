using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Pipeline.Testing;
using static Pipeline.Functions.Tests.Submissions.StateCacheReports;

namespace Pipeline.Functions.Tests.Submissions;

/// <summary>
/// How many storage round trips a report costs, counted on the storage clients: one in steady state (the unit's state
/// row cached by the instance, the write transaction on its ETag), two when the instance has not seen the unit yet;
/// and the transaction writes two entities, the revision and the unit's state row.
/// </summary>
public sealed class StorageRequestCountTests(AzuriteFixture azurite) : HostedTests(azurite), IClassFixture<AzuriteFixture>
{
    private readonly StorageRequestCounter counter = new(azurite.TablePort);

    protected override void Configure(WebApplicationBuilder builder) => counter.Install(builder);

    [Fact]
    public async Task A_report_costs_two_requests_for_a_unit_the_instance_has_not_seen_and_one_once_its_state_is_cached()
    {
        const string unit = "623023105";
        using var admin = Host.AdminClient();
        counter.Take();

        Assert.Equal(1, await RevisionOfAsync(await admin.PostAsync(Reports.WithReturnees(unit, 10)), HttpStatusCode.Created));
        Assert.Equal([StateRead(unit), Transaction], counter.Take());
        Assert.Equal([2], counter.TakeTransactionEntities());

        // A correction, then the unit's first report of another day: the state row is cached, only the write goes out.
        Assert.Equal(2, await RevisionOfAsync(await admin.PostAsync(Reports.WithReturnees(unit, 11)), HttpStatusCode.OK));
        Assert.Equal([Transaction], counter.Take());
        Assert.Equal(1, await RevisionOfAsync(await admin.PostAsync(Reports.WithReturnees(unit, 12, date: "2026-11-26")), HttpStatusCode.Created));
        Assert.Equal([Transaction], counter.Take());
        Assert.Equal([2, 2], counter.TakeTransactionEntities());

        // Another instance has not seen the unit: it reads the state row once, then it too writes alone.
        var other = new StorageRequestCounter(Azurite.TablePort);
        await using var second = await PipelineHost.StartAsync(Azurite.ConnectionString, configure: other.Install);
        using var secondAdmin = second.AdminClient();
        other.Take();
        Assert.Equal(3, await RevisionOfAsync(await secondAdmin.PostAsync(Reports.WithReturnees(unit, 13)), HttpStatusCode.OK));
        Assert.Equal([StateRead(unit), Transaction], other.Take());
        Assert.Equal(4, await RevisionOfAsync(await secondAdmin.PostAsync(Reports.WithReturnees(unit, 14)), HttpStatusCode.OK));
        Assert.Equal([Transaction], other.Take());
    }

    [Fact]
    public async Task A_replay_answered_from_a_cached_state_reads_the_state_again_before_it_says_nothing_changed()
    {
        const string unit = "623023106";
        using var admin = Host.AdminClient();
        var report = Reports.WithReturnees(unit, 20, "count-replay-1");
        Assert.Equal(1, await RevisionOfAsync(await admin.PostAsync(report), HttpStatusCode.Created));
        counter.Take();

        // No write would tell a stale cache from a fresh one, so the replay reads the row (and the revision it repeats).
        Assert.Equal(1, await RevisionOfAsync(await admin.PostAsync(report), HttpStatusCode.OK));
        Assert.Equal(
            [StateRead(unit), $"GET /devstoreaccount1/countyreports(PartitionKey='623023',RowKey='r_20261127_{unit}_0001')"],
            counter.Take());
    }

    [Fact]
    public async Task A_correction_of_a_day_whose_rollup_is_built_costs_one_request_and_the_rollup_shows_stale()
    {
        const string unit = "623023107";
        const string day = "2026-11-25";
        using var admin = Host.AdminClient();
        Assert.Equal(1, await RevisionOfAsync(await admin.PostAsync(Reports.WithReturnees(unit, 30, date: day)), HttpStatusCode.Created));
        (await admin.PostAsync($"api/rollups/{day}", null)).EnsureSuccessStatusCode();
        Assert.False((await admin.GetFromJsonAsync<JsonElement>($"api/rollups/{day}")).GetProperty("stale").GetBoolean());
        counter.Take();

        counter.TakeTransactionEntities();

        Assert.Equal(2, await RevisionOfAsync(await admin.PostAsync(Reports.WithReturnees(unit, 31, date: day)), HttpStatusCode.OK));
        Assert.Equal([Transaction], counter.Take());
        Assert.Equal([2], counter.TakeTransactionEntities());

        Assert.True((await admin.GetFromJsonAsync<JsonElement>($"api/rollups/{day}")).GetProperty("stale").GetBoolean());
        Assert.True((await admin.GetFromJsonAsync<JsonElement>($"api/rollups/{day}?scope=623023")).GetProperty("stale").GetBoolean());
        var listed = await admin.GetFromJsonAsync<JsonElement>($"api/rollups?from={day}&to={day}");
        Assert.True(Assert.Single(listed.EnumerateArray()).GetProperty("stale").GetBoolean());
    }
}
