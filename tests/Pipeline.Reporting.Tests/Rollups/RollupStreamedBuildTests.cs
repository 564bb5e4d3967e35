using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IO;
using Polly.Registry;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Units;
using Pipeline.Testing;

namespace Pipeline.Reporting.Tests.Rollups;

/// <summary>
/// The build as it streams, against storage: composing the counties while their rows (the day and the day before, in one
/// range read each) come in gives the documents that composing two whole readings gives, and files larger than one
/// upload go out in blocks, replacing a left-over blob as a single upload does.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RollupStreamedBuildTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    private async Task SubmitAsync(HttpClient client, string unit, string date, int seed, string notes = "")
    {
        var body = Reports.Valid(unit: unit, date: date, values: new()
        {
            ["returnees"] = 10 + seed, ["fromEpidemicAreas"] = seed % 3, ["homeQuarantine"] = 2 + seed % 4, ["feverReferred"] = seed % 2,
            ["donatedCashYuan"] = 0.5m * seed,
        });
        body["notes"] = notes;
        await client.SubmitAsync(body);
    }

    [Fact]
    public async Task Composing_while_reading_gives_the_documents_of_two_whole_readings_composed()
    {
        using var admin = Host.AdminClient();
        var units = Host.Services.GetRequiredService<UnitRegistry>();
        var diebu = units.TownshipsWithin("623024").Select(t => t.Code).Order(StringComparer.Ordinal).ToList();
        var hezuo = units.TownshipsWithin("623001").Select(t => t.Code).Order(StringComparer.Ordinal).ToList();
        // The day before: Diebu's last township (its rows sit next to today's first in key order), two more, one corrected.
        await SubmitAsync(admin, diebu[^1], "2026-10-11", 1);
        await SubmitAsync(admin, diebu[0], "2026-10-11", 2);
        await SubmitAsync(admin, diebu[1], "2026-10-11", 3);
        await SubmitAsync(admin, diebu[1], "2026-10-11", 4, "更正");
        await SubmitAsync(admin, hezuo[2], "2026-10-11", 5);
        // The day: Diebu's first and last townships, a correction, a unit that did not report the day before.
        await SubmitAsync(admin, diebu[0], "2026-10-12", 6);
        await SubmitAsync(admin, diebu[^1], "2026-10-12", 7, "=1+1");
        await SubmitAsync(admin, diebu[^1], "2026-10-12", 8);
        await SubmitAsync(admin, diebu[2], "2026-10-12", 9, "发热 1 例，已转诊");
        await SubmitAsync(admin, hezuo[2], "2026-10-12", 10);
        var date = new DateOnly(2026, 10, 12);
        var builder = Host.Services.GetRequiredService<RollupBuilder>();
        var reader = Host.Services.GetRequiredService<DayReader>();
        var index = Host.Services.GetRequiredService<RollupIndex>();

        var streamed = await builder.BuildAsync(date, CancellationToken.None);

        var today = await reader.ReadAsync(date, units.Root, CancellationToken.None);
        var before = await reader.ReadAsync(date.AddDays(-1), units.Root, CancellationToken.None);
        Assert.Equal(builder.Scopes.Count, streamed.Count);
        var around = await index.AroundAsync(date, CancellationToken.None);
        for (var i = 0; i < builder.Scopes.Count; i++)
        {
            var scope = builder.Scopes[i];
            var cumulative = around.CumulativeBefore(scope.Code);
            var whole = i == 0
                ? builder.Compose(today, before, cumulative, builder.IsProvisional(date))
                : builder.Compose(today.Within(scope), before.Within(scope), cumulative, builder.IsProvisional(date));
            Assert.Equal(JsonSerializer.Serialize(whole, JsonDefaults.Web), JsonSerializer.Serialize(streamed[i], JsonDefaults.Web));
        }

        // And the figures are the ones the fixture means: three Diebu townships reported on each day, two on both.
        var county = streamed.Single(d => d.Scope.Code == "623024");
        Assert.Equal(3, county.Completeness.Reported);
        Assert.Equal(3, county.PreviousCompleteness.Reported);
        Assert.Equal(2, county.ChangeUnits["returnees"]);
        Assert.Equal((16 - 12) + (18 - 11), county.Changes["returnees"]);
        var corrected = county.Units.Single(u => u.Code == diebu[^1]);
        Assert.Equal(2, corrected.Revision);
        Assert.Equal(18, corrected.Values["returnees"]);
        Assert.Equal(4.0m, corrected.Values["donatedCashYuan"]);
        Assert.True(corrected.Late);
        // What the unit tables show comes through the read of only the properties a rollup needs.
        var noted = county.Units.Single(u => u.Code == diebu[2]);
        Assert.Equal(("发热 1 例，已转诊", "卓玛", "13800138000"), (noted.Notes, noted.ReporterName, noted.ReporterPhone));
    }

    [Fact]
    public async Task A_file_larger_than_one_upload_goes_out_in_blocks_and_replaces_a_left_over_blob()
    {
        using var admin = Host.AdminClient();
        var units = Host.Services.GetRequiredService<UnitRegistry>();
        foreach (var (unit, i) in units.TownshipsWithin("623024").Select((t, i) => (t.Code, i)))
        {
            await SubmitAsync(admin, unit, "2026-10-14", i, "发现 1 例发热，已转诊");
        }

        var date = new DateOnly(2026, 10, 14);
        var document = (await Host.Services.GetRequiredService<RollupBuilder>().BuildAsync(date, CancellationToken.None))[0]
            with { Revision = 1, GeneratedAt = PipelineHost.DefaultNow };
        var services = Host.Services;
        var store = new RollupStore(services.GetRequiredService<StorageClients>(), units, services.GetRequiredService<IOptions<RollupLeaseOptions>>(),
            services.GetRequiredService<ResiliencePipelineProvider<string>>(), services.GetRequiredService<RecyclableMemoryStreamManager>())
        {
            SingleUploadBytes = 1024,
        };
        var renderers = services.GetServices<IRollupRenderer>().ToList();
        // A build that stopped midway left this revision's JSON behind, unrecorded.
        var leftOver = store.BlobOf(store.PathOf(date, "623000", 1, "rollup.json"));
        await leftOver.UploadAsync(BinaryData.FromString("{}"));

        var manifest = await store.WriteRevisionAsync(date, "623000", 1, PipelineHost.DefaultNow, false, document.Completeness, renderers, document,
            CancellationToken.None);

        Assert.Equal(renderers.Select(r => r.Render(document).Name), manifest.Files.Select(f => f.Name));
        foreach (var renderer in renderers)
        {
            var file = renderer.Render(document);
            var blob = store.BlobOf(store.PathOf(date, "623000", 1, file.Name));
            var stored = (await blob.GetPropertiesAsync()).Value;
            var decoded = (await store.ReadAsync(store.PathOf(date, "623000", 1, file.Name), CancellationToken.None))!.Value.Bytes;
            var listed = manifest.Files.Single(f => f.Name == file.Name);
            Assert.Equal(file.ContentType, stored.ContentType);
            Assert.Equal(RollupEncoding.StoredGzip(file.Format) ? BlobCreateStream.Gzip : null, stored.ContentEncoding);
            Assert.Equal(decoded.Length, listed.Bytes);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(decoded)), listed.Sha256);
            if (file.Format is "json" or "csv")
            {
                // The text files are the same on every render; the others carry ids of their own.
                Assert.Equal(file.Content, decoded);
            }

            if (stored.ContentLength > store.SingleUploadBytes)
            {
                var blocks = await services.GetRequiredService<StorageClients>().Blobs.GetBlobContainerClient(RollupStore.ContainerName)
                    .GetBlockBlobClient(store.PathOf(date, "623000", 1, file.Name)).GetBlockListAsync(BlockListTypes.Committed);
                Assert.NotEmpty(blocks.Value.CommittedBlocks);
            }
        }

        var json = await store.BlobOf(store.PathOf(date, "623000", 1, "rollup.json")).GetPropertiesAsync();
        Assert.True(json.Value.ContentLength > store.SingleUploadBytes, "the JSON (as stored, gzip-encoded) should be larger than one upload");
    }
}
