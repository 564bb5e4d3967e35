using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Rollups;
using Pipeline.Testing;
using static Pipeline.Testing.ResponseJson;

namespace Pipeline.Functions.Tests.Rollups;

/// <summary>
/// The JSON and CSV are stored gzip-encoded; whoever downloads them gets the file the manifest describes: decoded for a
/// client that does not take gzip, the stored encoding (under an ETag of its own) for one that does. Files stored before
/// the encoding read and download as they did. Dates in October 2026, used by no other test of the collection.
/// </summary>
[Collection(RollupAzuriteCollection.Name)]
public sealed class RollupFileEncodingTests(AzuriteFixture azurite) : HostedTests(azurite)
{

    private static Task SubmitAsync(HttpClient client, string unit, string date, int returnees) =>
        client.SubmitAsync(Reports.Valid(unit: unit, date: date, values: new() { ["returnees"] = returnees, ["fromEpidemicAreas"] = 1, ["homeQuarantine"] = 2, ["feverReferred"] = 0 }));

    private static byte[] Gunzip(byte[] encoded)
    {
        using var decoded = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(encoded), CompressionMode.Decompress))
        {
            gzip.CopyTo(decoded);
        }

        return decoded.ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? acceptEncoding = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url.TrimStart('/'));
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task The_json_and_csv_are_stored_gzip_encoded_and_the_manifest_describes_the_decoded_files()
    {
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623024101", "2026-10-20", 4);
        var manifest = await Json(await admin.PostAsync("api/rollups/2026-10-20?scope=623024", null));
        var store = Host.Services.GetRequiredService<RollupStore>();

        foreach (var file in manifest.GetProperty("files").EnumerateArray())
        {
            var name = file.GetProperty("name").GetString()!;
            var blob = store.BlobOf(store.PathOf(new DateOnly(2026, 10, 20), "623024", 1, name));
            var stored = (await blob.DownloadContentAsync()).Value;
            var plain = (await GetAsync(admin, file.GetProperty("url").GetString()!)).Content;
            var served = await plain.ReadAsByteArrayAsync();
            Assert.Equal(plain.Headers.ContentType!.ToString(), stored.Details.ContentType);
            if (file.GetProperty("format").GetString() is "json" or "csv")
            {
                Assert.Equal("gzip", stored.Details.ContentEncoding);
                var decoded = Gunzip(stored.Content.ToArray());
                Assert.Equal(served, decoded);
                Assert.True(stored.Content.ToMemory().Length < decoded.Length, $"{name}: {stored.Content.ToMemory().Length} bytes stored for {decoded.Length}");
            }
            else
            {
                Assert.Null(stored.Details.ContentEncoding);
                Assert.Equal(served, stored.Content.ToArray());
            }

            // The manifest's size and hash are the file's as its user gets it.
            Assert.Equal(file.GetProperty("bytes").GetInt64(), served.Length);
            Assert.Equal(file.GetProperty("sha256").GetString(), Sha256(served));
        }

        // Revision 1's manifest goes to its blob when revision 2 takes its place in the area's row: stored plain, as served.
        await SubmitAsync(admin, "623024101", "2026-10-20", 5);
        await Json(await admin.PostAsync("api/rollups/2026-10-20?scope=623024", null));
        var manifestBlob = store.BlobOf(store.PathOf(new DateOnly(2026, 10, 20), "623024", 1, "manifest.json"));
        var kept = (await manifestBlob.DownloadContentAsync()).Value;
        Assert.Null(kept.Details.ContentEncoding);
        static IEnumerable<string?> Hashes(JsonElement m) => m.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("sha256").GetString());
        Assert.Equal(Hashes(manifest), Hashes(JsonDocument.Parse(kept.Content).RootElement));
    }

    [Fact]
    public async Task A_download_is_the_plain_file_unless_the_client_takes_gzip_which_gets_the_stored_encoding_under_its_own_etag()
    {
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623024102", "2026-10-21", 6);
        var manifest = await Json(await admin.PostAsync("api/rollups/2026-10-21?scope=623024", null));

        foreach (var file in manifest.GetProperty("files").EnumerateArray())
        {
            var url = file.GetProperty("url").GetString()!;
            var sha = file.GetProperty("sha256").GetString()!;
            var compressed = file.GetProperty("format").GetString() is "json" or "csv";

            // No Accept-Encoding, or gzip refused, or only other encodings: the plain file, byte for byte.
            foreach (var refused in new[] { null, "gzip;q=0", "br, deflate", "identity" })
            {
                using var plain = await GetAsync(admin, url, refused);
                Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
                Assert.Empty(plain.Content.Headers.ContentEncoding);
                var bytes = await plain.Content.ReadAsByteArrayAsync();
                Assert.Equal(sha, Sha256(bytes));
                Assert.Equal(bytes.Length, plain.Content.Headers.ContentLength);
                Assert.Equal($"\"{sha}\"", plain.Headers.ETag!.ToString());
                Assert.Contains("Accept-Encoding", plain.Headers.Vary);
                Assert.Equal("attachment", plain.Content.Headers.ContentDisposition!.DispositionType);
            }

            // A client that takes gzip (every browser): the JSON and CSV as stored, which decode to the same file.
            foreach (var accepted in new[] { "gzip", "gzip, deflate, br, zstd", "*", "br;q=1.0, gzip;q=0.8" })
            {
                using var encoded = await GetAsync(admin, url, accepted);
                Assert.Equal(HttpStatusCode.OK, encoded.StatusCode);
                var bytes = await encoded.Content.ReadAsByteArrayAsync();
                Assert.Equal(bytes.Length, encoded.Content.Headers.ContentLength);
                Assert.Contains("Accept-Encoding", encoded.Headers.Vary);
                if (compressed)
                {
                    Assert.Equal("gzip", Assert.Single(encoded.Content.Headers.ContentEncoding));
                    Assert.Equal(sha, Sha256(Gunzip(bytes)));
                    Assert.Equal($"\"{sha}-gzip\"", encoded.Headers.ETag!.ToString());
                }
                else
                {
                    Assert.Empty(encoded.Content.Headers.ContentEncoding);
                    Assert.Equal(sha, Sha256(bytes));
                    Assert.Equal($"\"{sha}\"", encoded.Headers.ETag!.ToString());
                }
            }

            // Each encoding is revalidated on its own ETag.
            var gzipTag = compressed ? $"\"{sha}-gzip\"" : $"\"{sha}\"";
            using (var unchanged = await GetAsync(admin, url, "gzip", gzipTag))
            {
                Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
            }

            using (var unchanged = await GetAsync(admin, url, null, $"\"{sha}\""))
            {
                Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
            }

            if (compressed)
            {
                using var other = await GetAsync(admin, url, null, gzipTag);
                Assert.Equal(HttpStatusCode.OK, other.StatusCode);
                Assert.Equal(sha, Sha256(await other.Content.ReadAsByteArrayAsync()));
            }
        }
    }

    [Fact]
    public async Task A_revision_compares_with_the_previous_revision_stored_gzip_encoded()
    {
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623024103", "2026-10-22", 4);
        Assert.Equal(1, (await Json(await admin.PostAsync("api/rollups/2026-10-22?scope=623024", null))).GetProperty("revision").GetInt32());
        await SubmitAsync(admin, "623024103", "2026-10-22", 9);

        Assert.Equal(2, (await Json(await admin.PostAsync("api/rollups/2026-10-22?scope=623024", null))).GetProperty("revision").GetInt32());

        var json = await Json(await admin.GetAsync("api/rollups/2026-10-22/files/rollup.json?scope=623024"));
        var changes = json.GetProperty("revisionChanges");
        Assert.Equal(1, changes.GetProperty("previousRevision").GetInt32());
        var unit = Assert.Single(changes.GetProperty("units").EnumerateArray());
        Assert.Equal("623024103", unit.GetProperty("code").GetString());
        Assert.Equal(4, unit.GetProperty("before").GetProperty("returnees").GetDecimal());
        Assert.Equal(9, unit.GetProperty("after").GetProperty("returnees").GetDecimal());
    }

    [Fact]
    public async Task Files_stored_before_the_encoding_still_download_plain_and_serve_as_the_previous_revision()
    {
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623024104", "2026-10-23", 5);
        var manifest = await Json(await admin.PostAsync("api/rollups/2026-10-23?scope=623024", null));
        // Revision 1's JSON and CSV as an earlier version stored them: the plain file, no Content-Encoding.
        var store = Host.Services.GetRequiredService<RollupStore>();
        foreach (var name in new[] { "rollup.json", "rollup.csv" })
        {
            var file = manifest.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);
            var plain = await (await GetAsync(admin, file.GetProperty("url").GetString()!)).Content.ReadAsByteArrayAsync();
            var blob = store.BlobOf(store.PathOf(new DateOnly(2026, 10, 23), "623024", 1, name));
            var contentType = (await blob.GetPropertiesAsync()).Value.ContentType;
            await blob.UploadAsync(new BinaryData(plain), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } });
            Assert.Null((await blob.GetPropertiesAsync()).Value.ContentEncoding);

            using var download = await GetAsync(admin, file.GetProperty("url").GetString()!, "gzip");

            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Empty(download.Content.Headers.ContentEncoding);
            Assert.Equal(plain, await download.Content.ReadAsByteArrayAsync());
            Assert.Equal(contentType, download.Content.Headers.ContentType!.ToString());
            Assert.Equal($"\"{file.GetProperty("sha256").GetString()}\"", download.Headers.ETag!.ToString());
        }

        await SubmitAsync(admin, "623024104", "2026-10-23", 7);
        Assert.Equal(2, (await Json(await admin.PostAsync("api/rollups/2026-10-23?scope=623024", null))).GetProperty("revision").GetInt32());

        var json = await Json(await admin.GetAsync("api/rollups/2026-10-23/files/rollup.json?scope=623024"));
        var unit = Assert.Single(json.GetProperty("revisionChanges").GetProperty("units").EnumerateArray());
        Assert.Equal(5, unit.GetProperty("before").GetProperty("returnees").GetDecimal());
    }

    [Fact]
    public async Task A_signed_link_to_the_json_answers_with_the_stored_encoding_which_a_browser_decodes_to_the_file()
    {
        // Azurite checks a SAS against the real clock.
        using var admin = Host.AdminClient();
        await SubmitAsync(admin, "623024205", "2026-10-24", 3);
        var manifest = await Json(await admin.PostAsync("api/rollups/2026-10-24?scope=623024", null));
        var json = manifest.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "rollup.json");
        Host.Time.SetUtcNow(DateTimeOffset.UtcNow);
        var link = await Json(await admin.GetAsync(json.GetProperty("link").GetString()!.TrimStart('/')));
        var url = new Uri(link.GetProperty("url").GetString()!);

        // What a browser does: ask for gzip, decode what comes.
        using var browser = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip });
        using (var download = await browser.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(json.GetProperty("sha256").GetString(), Sha256(await download.Content.ReadAsByteArrayAsync()));
            Assert.Equal("application/json; charset=utf-8", download.Content.Headers.ContentType!.ToString());
        }

        // The storage sends the blob as stored, with its Content-Encoding, whatever the request accepts.
        using var plain = new HttpClient();
        using (var download = await plain.GetAsync(url))
        {
            Assert.Equal("gzip", Assert.Single(download.Content.Headers.ContentEncoding));
            Assert.Equal(json.GetProperty("sha256").GetString(), Sha256(Gunzip(await download.Content.ReadAsByteArrayAsync())));
        }
    }
}
