using System.IO.Compression;
using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Pipeline.Reporting.Rollups;
using Pipeline.Testing;

namespace Pipeline.Reporting.Tests.Rollups;

/// <summary>A gzip-encoded blob written through <see cref="BlobCreateStream"/>, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobCreateStreamTests(AzuriteFixture azurite)
{
    private async Task<BlockBlobClient> NewBlobAsync()
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("blob-create-stream-tests");
        await container.CreateIfNotExistsAsync();
        return container.GetBlockBlobClient(Guid.NewGuid().ToString("N") + ".csv");
    }

    /// <summary>Text of many distinct lines, as a rollup's CSV is: it compresses, but not to nothing.</summary>
    private static byte[] Lines(int count) =>
        System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, count).Select(i => $"62302{i:D4},迭部县,{i * 7 % 13},{i * 31 % 101}\r\n")));

    [Theory]
    [InlineData(200)]      // within one upload
    [InlineData(40_000)]   // encoded, still many 4 KiB blocks
    public async Task A_gzip_blob_holds_the_written_file_encoded_and_counts_the_written_files_size_and_hash(int lines)
    {
        var blob = await NewBlobAsync();
        var file = Lines(lines);

        (long Bytes, string Sha256) counted;
        await using (var stream = new BlobCreateStream(blob, "text/csv; charset=utf-8", 4096, RollupBufferPool.Create(), gzip: true))
        {
            // Written in pieces of several sizes, as renderers do.
            for (var at = 0; at < file.Length;)
            {
                var n = Math.Min(file.Length - at, 1 + (at % 9000));
                await stream.WriteAsync(file.AsMemory(at, n));
                at += n;
            }

            counted = await stream.CompleteAsync(CancellationToken.None);
        }

        var stored = (await blob.DownloadContentAsync()).Value;
        Assert.Equal("gzip", stored.Details.ContentEncoding);
        Assert.Equal("text/csv; charset=utf-8", stored.Details.ContentType);
        using var decoded = new MemoryStream();
        await using (var gzip = new GZipStream(stored.Content.ToStream(), CompressionMode.Decompress))
        {
            await gzip.CopyToAsync(decoded);
        }

        Assert.Equal(file, decoded.ToArray());
        Assert.Equal((file.LongLength, Convert.ToHexStringLower(SHA256.HashData(file))), counted);
        var blocks = (await blob.GetBlockListAsync(BlockListTypes.Committed)).Value.CommittedBlocks.Count();
        Assert.Equal(stored.Content.ToMemory().Length > 4096, blocks > 0);
    }

    [Fact]
    public async Task Every_staged_block_carries_the_md5_of_its_bytes_so_the_storage_checks_what_it_received()
    {
        var md5s = new List<string?>();
        var options = new BlobClientOptions();
        options.AddPolicy(new StagedBlockHeaders(md5s), HttpPipelinePosition.PerRetry);
        var container = new BlobServiceClient(azurite.ConnectionString, options).GetBlobContainerClient("blob-create-stream-tests");
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlockBlobClient(Guid.NewGuid().ToString("N") + ".csv");
        var file = Lines(1_000);

        await using (var stream = new BlobCreateStream(blob, "text/csv; charset=utf-8", 4096, RollupBufferPool.Create()))
        {
            await stream.WriteAsync(file);
            await stream.CompleteAsync(CancellationToken.None);
        }

        var expected = file.Chunk(4096).Select(block => (string?)Convert.ToBase64String(MD5.HashData(block))).ToList();
        Assert.Equal(expected, md5s);
        Assert.Equal(file, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }

    /// <summary>Notes the Content-MD5 header of every Put Block request (comp=block), in the order sent.</summary>
    private sealed class StagedBlockHeaders(List<string?> md5s) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Uri.Query.Contains("comp=block&", StringComparison.Ordinal)
                || message.Request.Uri.Query.EndsWith("comp=block", StringComparison.Ordinal))
            {
                md5s.Add(message.Request.Headers.TryGetValue("Content-MD5", out var md5) ? md5 : null);
            }
        }
    }

    [Fact]
    public async Task A_gzip_blob_dropped_unfinished_is_never_created_and_its_disposal_does_not_throw()
    {
        var blob = await NewBlobAsync();
        var stream = new BlobCreateStream(blob, "text/csv; charset=utf-8", 4096, RollupBufferPool.Create(), gzip: true);
        await stream.WriteAsync(Lines(20_000));

        await stream.DisposeAsync();

        Assert.False((await blob.ExistsAsync()).Value);
    }
}
