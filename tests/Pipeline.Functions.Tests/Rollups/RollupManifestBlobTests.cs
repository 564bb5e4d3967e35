using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Pipeline.Testing;
using static Pipeline.Testing.ResponseJson;

namespace Pipeline.Functions.Tests.Rollups;

/// <summary>
/// Where a revision's manifest is kept, counted on the blob client: the latest in its area's index row (the row every
/// reader reads first), in the revision's <c>manifest.json</c> once the next revision takes its place there (or from the
/// start when the row cannot hold it). A first build writes each area's four files and no manifest blob.
/// </summary>
public sealed class RollupManifestBlobTests(AzuriteFixture azurite) : HostedTests(azurite), IClassFixture<AzuriteFixture>
{
    private const string Diebu = "623024";

    /// <summary>Every area of the embedded registry: the prefecture and its eight counties.</summary>
    private const int Areas = 9;

    private readonly StorageRequestCounter blobs = new(azurite.BlobPort);

    protected override void Configure(WebApplicationBuilder builder) => blobs.Install(builder);

    private static string Files(JsonElement manifest) => manifest.GetProperty("files").GetRawText();

    private async Task<IReadOnlyList<string>> BuildAsync(HttpClient admin, string day)
    {
        blobs.Take();
        await Json(await admin.PostAsync($"api/rollups/{day}", null));
        return [.. blobs.Take().Where(r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.Contains($"/rollups/{day}/", StringComparison.Ordinal))];
    }

    [Fact]
    public async Task A_first_build_writes_no_manifest_blob_and_a_revision_replaced_in_its_row_keeps_its_manifest_in_its_blob()
    {
        const string day = "2026-08-20";
        using var admin = Host.AdminClient();
        await admin.SubmitAsync(Reports.WithReturnees("623024100", 4, date: day));

        var first = await BuildAsync(admin, day);
        Assert.Equal(Areas * 4, first.Count);
        Assert.All(first, r => Assert.Matches(@"/r0001/rollup\.(json|xlsx|csv|pdf)$", r));
        var latest = await Json(await admin.GetAsync($"api/rollups/{day}"));
        var countyLatest = await Json(await admin.GetAsync($"api/rollups/{day}?scope={Diebu}"));
        // The latest revision asked for by its number: from its row too.
        Assert.Equal(Files(latest), Files(await Json(await admin.GetAsync($"api/rollups/{day}?revision=1"))));

        // A correction in 迭部县: the prefecture's and 迭部县's revision 1 leave their rows, their manifests go to their blobs
        // before the rows name revision 2; the other counties are unchanged and write nothing.
        await admin.SubmitAsync(Reports.WithReturnees("623024100", 6, date: day));
        var second = await BuildAsync(admin, day);
        Assert.Equal(
            [$"PUT /devstoreaccount1/rollups/{day}/{Diebu}/r0001/manifest.json", $"PUT /devstoreaccount1/rollups/{day}/r0001/manifest.json"],
            second.Where(r => r.EndsWith("/manifest.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(2 * 4, second.Count(r => r.Contains("/r0002/rollup.", StringComparison.Ordinal)));

        var old = await Json(await admin.GetAsync($"api/rollups/{day}?revision=1"));
        Assert.Equal(1, old.GetProperty("revision").GetInt32());
        Assert.Equal(Files(latest), Files(old));
        Assert.Equal(Files(countyLatest), Files(await Json(await admin.GetAsync($"api/rollups/{day}?scope={Diebu}&revision=1"))));
        Assert.Equal(2, (await Json(await admin.GetAsync($"api/rollups/{day}?revision=2"))).GetProperty("revision").GetInt32());
    }
}
