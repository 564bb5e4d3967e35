using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Storage;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Integration;

/// <summary>Revisions under concurrency and at-least-once clients, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReportStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PipelineHost host = null!;

    public async Task InitializeAsync() => host = await PipelineHost.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Racing_corrections_all_become_revisions_and_none_is_lost()
    {
        const string unit = "623025100";
        using var admin = host.AdminClient();
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

        // The current-report projection the rollup reads ends at the newest revision.
        var store = host.Services.GetRequiredService<ReportStore>();
        var current = await store.ReadDayAsync(new DateOnly(2026, 11, 27), "623025", CancellationToken.None).SingleAsync(r => r.UnitCode == unit);
        Assert.Equal(writers, current.Revision);
    }

    [Fact]
    public async Task Replays_of_one_submission_racing_each_other_store_one_revision()
    {
        const string unit = "623025101";
        using var admin = host.AdminClient();
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
        using var admin = host.AdminClient();
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
    public async Task Tokens_are_stored_only_as_hashes()
    {
        var (id, token) = await host.IssueTokenAsync("reporter", "623025103");
        var tables = host.Services.GetRequiredService<StorageTables>();
        var entity = (await tables.Tokens.GetEntityAsync<TableEntity>("token", id)).Value;
        var secret = token.Split('_', 3)[2];
        Assert.DoesNotContain(entity, p => p.Value?.ToString()?.Contains(secret, StringComparison.Ordinal) == true);
        Assert.Equal(32, entity.GetBinary("hash").Length);
    }

    [Fact]
    public async Task The_same_submission_id_with_changed_values_is_a_correction()
    {
        const string unit = "623025104";
        using var admin = host.AdminClient();
        var report = Reports.Valid(unit: unit, submissionId: "form-1");
        Assert.Equal(1, (await (await admin.PostAsync(report)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32());
        var values = Reports.ValidValues();
        values["returnees"] = 40;
        var changed = Reports.Valid(unit: unit, submissionId: "form-1", values: values);
        Assert.Equal(2, (await (await admin.PostAsync(changed)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32());
        Assert.Equal(2, (await (await admin.PostAsync(changed)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32());
    }
}
