using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// Blob container <c>rollups</c>: <c>yyyy-MM-dd/r0001/{rollup.json, rollup.xlsx, rollup.csv, rollup.pdf, manifest.json}</c>
/// for the prefecture, <c>yyyy-MM-dd/{countyCode}/r0001/...</c> for a county.
/// Every blob is created with If-None-Match: *, so a revision, once written, never changes. Builds of one
/// day are serialised by a lease on <c>locks/yyyy-MM-dd</c>.
/// </summary>
public sealed class RollupStore(StorageClients clients, UnitRegistry units, IOptions<RollupLeaseOptions> leaseOptions)
{
    public const string ContainerName = "rollups";
    private readonly TimeSpan leaseDuration = leaseOptions.Value.Duration;

    private BlobContainerClient Container => clients.Blobs.GetBlobContainerClient(ContainerName);

    public string PathOf(DateOnly date, string scope, int revision, string name) => scope == units.Root.Code
        ? $"{ReportDate.Iso(date)}/r{revision:D4}/{name}"
        : $"{ReportDate.Iso(date)}/{scope}/r{revision:D4}/{name}";

    /// <summary>A blob of the container, for reading it or signing a link to it.</summary>
    public BlobClient BlobOf(string path) => Container.GetBlobClient(path);

    public async Task<RollupManifest> WriteRevisionAsync(
        DateOnly date, string scope, int revision, DateTimeOffset generatedAt, bool provisional, Completeness completeness,
        IReadOnlyList<RenderedFile> files, CancellationToken cancellationToken)
    {
        var written = new List<RollupFile>();
        foreach (var file in files)
        {
            await CreateAsync(PathOf(date, scope, revision, file.Name), file.Content, file.ContentType, cancellationToken);
            written.Add(new RollupFile(file.Format, file.Name, file.ContentType, file.Content.Length,
                Convert.ToHexStringLower(SHA256.HashData(file.Content))));
        }

        var manifest = new RollupManifest(ReportDate.Iso(date), revision, generatedAt, completeness, written, scope, provisional);
        // The manifest goes last: a revision is complete exactly when its manifest exists.
        await CreateAsync(PathOf(date, scope, revision, "manifest.json"),
            JsonSerializer.SerializeToUtf8Bytes(manifest, JsonDefaults.Web), "application/json", cancellationToken);
        return manifest;
    }

    public async Task<RollupManifest?> ReadManifestAsync(DateOnly date, string scope, int revision, CancellationToken cancellationToken)
    {
        var content = await ReadAsync(PathOf(date, scope, revision, "manifest.json"), cancellationToken);
        return content is null ? null : JsonSerializer.Deserialize<RollupManifest>(content.Value.Bytes, JsonDefaults.Web);
    }

    /// <summary>The machine-format document of a stored revision (the one a new revision is compared with).</summary>
    public async Task<RollupDocument?> ReadDocumentAsync(DateOnly date, string scope, int revision, CancellationToken cancellationToken)
    {
        var content = await ReadAsync(PathOf(date, scope, revision, "rollup.json"), cancellationToken);
        return content is null ? null : JsonSerializer.Deserialize<RollupDocument>(content.Value.Bytes, JsonDefaults.Web);
    }

    public async Task<(byte[] Bytes, string ContentType)?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var result = await BlobOf(path).DownloadContentAsync(cancellationToken);
            return (result.Value.Content.ToArray(), result.Value.Details.ContentType);
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode != "ContainerNotFound")
        {
            return null;
        }
    }

    /// <summary>
    /// Holds the day's build lease until disposed, renewed every third of its duration however long the build
    /// runs; waits while another build holds it. A build whose renewals all fail for a whole lease duration (storage
    /// unreachable) loses the lease; its writes are If-None-Match, so a second build then fails rather than overwrites.
    /// </summary>
    public async Task<IAsyncDisposable> LockDayAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient($"locks/{ReportDate.Iso(date)}");
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // The lock blob exists already (or is leased right now).
        }

        var lease = blob.GetBlobLeaseClient();
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            try
            {
                await lease.AcquireAsync(leaseDuration, cancellationToken: cancellationToken);
                return new Lease(lease, leaseDuration / 3);
            }
            catch (RequestFailedException e) when (e.Status == 409 && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(200, 600)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Creates a blob of a new revision. One that exists already is left by a build that stopped before it recorded
    /// the revision in the index (a host shut down mid-build): nobody was ever shown it, since readers see only
    /// revisions up to the index's latest, so it is replaced, on its ETag (two builders never both replace it).
    /// </summary>
    private async Task CreateAsync(string path, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        var blob = BlobOf(path);
        var headers = new BlobHttpHeaders { ContentType = contentType };
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = headers,
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == "BlobAlreadyExists")
        {
            var orphan = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            await blob.UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfMatch = orphan.Value.ETag },
                HttpHeaders = headers,
            }, cancellationToken);
        }
    }

    private sealed class Lease : IAsyncDisposable
    {
        private readonly BlobLeaseClient lease;
        private readonly CancellationTokenSource stop = new();
        private readonly Task renewing;

        public Lease(BlobLeaseClient lease, TimeSpan renewEvery)
        {
            this.lease = lease;
            renewing = RenewAsync(renewEvery, stop.Token);
        }

        /// <summary>A heartbeat, not a retry: a renewal that fails is simply made again at the next beat, while the lease still runs.</summary>
        private async Task RenewAsync(TimeSpan every, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(every, cancellationToken);
                    await lease.RenewAsync(cancellationToken: cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is RequestFailedException or HttpRequestException or OperationCanceledException)
                {
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await renewing;
            stop.Dispose();
            try
            {
                await lease.ReleaseAsync();
            }
            catch (RequestFailedException)
            {
                // It expires on its own within a lease duration.
            }
        }
    }
}
