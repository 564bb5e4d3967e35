using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Pipeline.Testing;
using static Pipeline.Testing.ResponseJson;

namespace Pipeline.Functions.Tests.Rollups;

/// <summary>
/// What a build asks of the rollup index beyond each area's own row, counted on the storage clients: the other built
/// days of every area (the cumulative totals before the day, the later days a change of totals makes stale) in one
/// query, whatever the number of areas, and a later day marked only where one exists and the area's totals changed.
/// </summary>
public sealed class RollupIndexRequestTests(AzuriteFixture azurite) : HostedTests(azurite), IClassFixture<AzuriteFixture>
{
    /// <summary>A query of the index table (a point read names its keys in the path).</summary>
    private const string IndexQuery = "GET /devstoreaccount1/rollups()";

    /// <summary>A build's queries of the index: every area's row of the day, and every area's other built days.</summary>
    private static readonly string[] BuildQueries = [IndexQuery, IndexQuery];

    private const string Diebu = "623024";
    private const string Hezuo = "623001";

    private readonly StorageRequestCounter counter = new(azurite.TablePort);

    protected override void Configure(WebApplicationBuilder builder) => counter.Install(builder);

    private static Task SubmitAsync(HttpClient client, string unit, string date, int returnees) =>
        client.SubmitAsync(Reports.WithReturnees(unit, returnees, date: date));

    /// <summary>Builds the day and returns the index requests of the build that are neither an area's own row nor its write.</summary>
    private async Task<List<string>> BuildAsync(HttpClient admin, string date)
    {
        counter.Take();
        await Json(await admin.PostAsync($"api/rollups/{date}", null));
        return [.. counter.Take().Where(r => r.Contains("/rollups(", StringComparison.Ordinal) && !IsOwnRow(r, date))];
    }

    private static bool IsOwnRow(string request, string date) => request.EndsWith($",RowKey='{date}')", StringComparison.Ordinal);

    /// <summary>A request naming an area's row of the day (not the day's read-from row, whose Timestamp opens the read window).</summary>
    private static bool IsAreaRow(string request, string date) =>
        IsOwnRow(request, date) && request.Contains("/rollups(PartitionKey='day", StringComparison.Ordinal);

    private static string MarkRead(string scope, string date) =>
        $"GET /devstoreaccount1/rollups(PartitionKey='{(scope == "623000" ? "day" : "day-" + scope)}',RowKey='{date}')";

    private async Task<JsonElement> ManifestAsync(HttpClient admin, string date, string scope) =>
        await admin.GetFromJsonAsync<JsonElement>($"api/rollups/{date}?scope={scope}");

    [Fact]
    public async Task A_build_reads_the_other_built_days_of_every_area_in_one_query_and_marks_later_days_only_where_totals_changed()
    {
        const string first = "2026-09-10";
        const string second = "2026-09-11";
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623024100", first, 10);
        await SubmitAsync(admin, "623001001", first, 4);
        await SubmitAsync(admin, "623024100", second, 7);

        // The newest day: no later day to mark, the cumulative totals of all nine areas from one query.
        Assert.Equal(BuildQueries, await BuildAsync(admin, first));
        Assert.Equal(BuildQueries, await BuildAsync(admin, second));
        var cumulative = (await admin.GetFromJsonAsync<JsonElement>($"api/rollups/{second}/files/rollup.json?scope={Diebu}"))
            .GetProperty("cumulative").GetProperty("returnees").GetDecimal();
        Assert.Equal(17, cumulative);

        // A correction of the first day changes the totals of the prefecture and Diebu, not Hezuo's: the later day becomes
        // stale for those two only, each marked with a read of its flag and a merge.
        await SubmitAsync(admin, "623024100", first, 12);
        var requests = await BuildAsync(admin, first);
        Assert.Equal(BuildQueries, requests.Take(2));
        Assert.Equal(
            [MarkRead("623000", second), MarkRead(Diebu, second)],
            requests.Where(r => r.StartsWith("GET ", StringComparison.Ordinal) && r != IndexQuery).Order(StringComparer.Ordinal));
        Assert.Equal(2, requests.Count(r => r.StartsWith("PATCH ", StringComparison.Ordinal) || r.StartsWith("MERGE ", StringComparison.Ordinal)));
        Assert.Equal(6, requests.Count);

        Assert.True((await ManifestAsync(admin, second, "623000")).GetProperty("stale").GetBoolean());
        Assert.True((await ManifestAsync(admin, second, Diebu)).GetProperty("stale").GetBoolean());
        Assert.False((await ManifestAsync(admin, second, Hezuo)).GetProperty("stale").GetBoolean());

        // The rebuild of the later day sums the corrected totals.
        Assert.Equal(BuildQueries, await BuildAsync(admin, second));
        Assert.Equal(19, (await admin.GetFromJsonAsync<JsonElement>($"api/rollups/{second}/files/rollup.json?scope={Diebu}"))
            .GetProperty("cumulative").GetProperty("returnees").GetDecimal());
        Assert.False((await ManifestAsync(admin, second, Diebu)).GetProperty("stale").GetBoolean());
    }

    [Fact]
    public async Task A_build_reads_every_areas_row_of_its_day_in_one_query_not_one_read_per_area()
    {
        // Before the other tests' days, in a county whose cumulative figures they do not check.
        const string day = "2026-09-02";
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623025100", day, 5);

        // First build (no row yet), then a rebuild over the nine rows the first wrote, unchanged: in both the rows of the
        // day come from one query beside the one of the other built days, never from a read of each area's row.
        foreach (var _ in new[] { "first", "rebuild" })
        {
            counter.Take();
            await Json(await admin.PostAsync($"api/rollups/{day}", null));
            var requests = counter.Take();
            Assert.DoesNotContain(requests, r => r.StartsWith("GET ", StringComparison.Ordinal) && IsAreaRow(r, day));
            Assert.Equal(2, requests.Count(r => r == IndexQuery));
        }

        // The rebuild found every area unchanged through the rows that query read (their revision stays the first).
        Assert.Equal(1, (await ManifestAsync(admin, day, "623025")).GetProperty("revision").GetInt32());
        Assert.Equal(1, (await ManifestAsync(admin, day, "623000")).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_file_download_reads_its_areas_row_and_none_of_the_counties_reports()
    {
        // Before the other test's days, in a county whose cumulative figures it does not check.
        const string day = "2026-09-01";
        const string maqu = "623025";
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623025100", day, 5);
        await BuildAsync(admin, day);
        counter.Take();

        // The row names the revision and its files; whether the day is stale is the manifest's business, not a download's.
        (await admin.GetAsync($"api/rollups/{day}/files/rollup.csv?scope={maqu}")).EnsureSuccessStatusCode();
        (await admin.GetAsync($"api/rollups/{day}/files/rollup.json")).EnsureSuccessStatusCode();
        Assert.Equal([MarkRead(maqu, day), MarkRead("623000", day)], counter.Take());
    }
}
