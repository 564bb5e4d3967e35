using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using Microsoft.IO;
using Polly.Registry;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// Blob container <c>rollups</c>: <c>yyyy-MM-dd/r0001/{rollup.json, rollup.xlsx, rollup.csv, rollup.pdf, manifest.json}</c>
/// for the prefecture, <c>yyyy-MM-dd/{countyCode}/r0001/...</c> for a county; the latest revision's <c>manifest.json</c>
/// only where its index row cannot hold it (<see cref="RollupIndex.Holds"/>).
/// Every blob is created with If-None-Match: *, so a revision, once written, never changes. Builds of one
/// day are serialised by a lease on <c>locks/yyyy-MM-dd</c>.
/// </summary>
public sealed class RollupStore(
    StorageClients clients, UnitRegistry units, IOptions<RollupLeaseOptions> leaseOptions, ResiliencePipelineProvider<string> pipelines,
    RecyclableMemoryStreamManager buffers)
{
    public const string ContainerName = "rollups";
    private readonly TimeSpan leaseDuration = leaseOptions.Value.Duration;

    private BlobContainerClient Container => clients.Blobs.GetBlobContainerClient(ContainerName);

    public string PathOf(DateOnly date, string scope, int revision, string name) => scope == units.Root.Code
        ? $"{ReportDate.Iso(date)}/r{revision:D4}/{name}"
        : $"{ReportDate.Iso(date)}/{scope}/r{revision:D4}/{name}";

    /// <summary>A blob of the container, for reading it or signing a link to it.</summary>
    public BlobClient BlobOf(string path) => Container.GetBlobClient(path);

    private BlockBlobClient BlockBlobOf(string path) => Container.GetBlockBlobClient(path);

    /// <summary>
    /// Files up to this size are created in one request; larger ones are staged in blocks of this size as they are rendered
    /// (what a file in the making holds: four areas' four files at a time). 1 MiB: 54 blocks for the 54 MB JSON of
    /// 100,000 units, far from the service's 50,000 blocks a blob.
    /// </summary>
    public int SingleUploadBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Writes a revision's files, each rendered straight into its blob and all side by side (the renderers' work is CPU,
    /// the uploads' is the storage's), and returns their manifest (kept in the area's index row, see
    /// <see cref="WriteManifestAsync"/>). The files <paramref name="streamed"/> wrote while the area was read are only
    /// finished here.
    /// </summary>
    public async Task<RollupManifest> WriteRevisionAsync(
        DateOnly date, string scope, int revision, DateTimeOffset generatedAt, bool provisional, Completeness completeness,
        IReadOnlyList<IRollupRenderer> renderers, RollupDocument document, CancellationToken cancellationToken, StreamingArea? streamed = null)
    {
        var written = await Task.WhenAll(renderers.Select(renderer => Task.Run(async () =>
        {
            if (streamed is not null && streamed.Writes(renderer))
            {
                return await streamed.FinishAsync(renderer, document, cancellationToken);
            }

            if (renderer is IMeasuredRollupRenderer measured && streamed is not null
                && await streamed.MeasureOfAsync(measured, cancellationToken) is { } measure)
            {
                return await CreateAsync(date, scope, revision, measured.Format, measured.Name, measured.ContentType,
                    (blob, ct) => measured.WriteAsync(document, measure, blob, ct), cancellationToken);
            }

            if (renderer is IStreamingRollupRenderer streaming)
            {
                return await CreateAsync(date, scope, revision, streaming.Format, streaming.Name, streaming.ContentType,
                    (blob, ct) => streaming.WriteAsync(document, blob, ct), cancellationToken);
            }

            var file = renderer.Render(document);
            return await CreateAsync(date, scope, revision, file.Format, file.Name, file.ContentType,
                (blob, ct) => blob.WriteAsync(file.Content, ct).AsTask(), cancellationToken);
        }, cancellationToken)));

        return new RollupManifest(ReportDate.Iso(date), revision, generatedAt, completeness, written, scope, provisional);
    }

    /// <summary>
    /// A revision's <c>manifest.json</c>: written once the revision's files are, when its area's index row cannot hold it,
    /// or when the next revision takes its place in the row (<see cref="RollupIndex.Holds"/>). A blob already there (the
    /// same revision's, written by an earlier attempt) is written again with the same content.
    /// </summary>
    public async Task WriteManifestAsync(DateOnly date, string scope, RollupManifest manifest, CancellationToken cancellationToken)
    {
        await using var blob = CreateFile(date, scope, manifest.Revision, "manifest.json", "application/json", gzip: false);
        await JsonSerializer.SerializeAsync(blob, manifest, JsonDefaults.Web, cancellationToken);
        await blob.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// A file of a revision, written front to back; it exists for readers only once completed (<see cref="BlobCreateStream"/>).
    /// With <paramref name="gzip"/> it is stored gzip-encoded (<see cref="RollupEncoding"/>).
    /// </summary>
    public BlobCreateStream CreateFile(DateOnly date, string scope, int revision, string name, string contentType, bool gzip) =>
        new(BlockBlobOf(PathOf(date, scope, revision, name)), contentType, SingleUploadBytes, buffers, gzip);

    private async Task<RollupFile> CreateAsync(
        DateOnly date, string scope, int revision, string format, string name, string contentType, Func<Stream, CancellationToken, Task> write,
        CancellationToken cancellationToken)
    {
        await using var blob = CreateFile(date, scope, revision, name, contentType, RollupEncoding.StoredGzip(format));
        await write(blob, cancellationToken);
        var (bytes, sha256) = await blob.CompleteAsync(cancellationToken);
        return new RollupFile(format, name, contentType, bytes, sha256);
    }

    public async Task<RollupManifest?> ReadManifestAsync(DateOnly date, string scope, int revision, CancellationToken cancellationToken)
    {
        var content = await ReadAsync(PathOf(date, scope, revision, "manifest.json"), cancellationToken);
        return content is null ? null : JsonSerializer.Deserialize<RollupManifest>(content.Value.Bytes, JsonDefaults.Web);
    }

    /// <summary>The machine-format document of a stored revision (the one a new revision is compared with), read as it is decoded.</summary>
    public async Task<RollupDocument?> ReadDocumentAsync(DateOnly date, string scope, int revision, CancellationToken cancellationToken)
    {
        await using var stored = await OpenAsync(PathOf(date, scope, revision, "rollup.json"), cancellationToken);
        if (stored is null)
        {
            return null;
        }

        await using var json = stored.Decoded();
        return await JsonSerializer.DeserializeAsync<RollupDocument>(json, JsonDefaults.Web, cancellationToken);
    }

    /// <summary>A stored file whole, decoded (the file its user gets, however it is stored), or null where there is none.</summary>
    public async Task<(byte[] Bytes, string ContentType)?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stored = await OpenAsync(path, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        using var bytes = new MemoryStream();
        await using (var decoded = stored.Decoded())
        {
            await decoded.CopyToAsync(bytes, cancellationToken);
        }

        return (bytes.ToArray(), stored.ContentType);
    }

    /// <summary>A stored file as its blob holds it, streamed (in its stored encoding), or null where there is none.</summary>
    public async Task<StoredRollupFile?> OpenAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var result = await BlobOf(path).DownloadStreamingAsync(cancellationToken: cancellationToken);
            var details = result.Value.Details;
            return new StoredRollupFile(result.Value.Content, details.ContentType, details.ContentEncoding, details.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode != "ContainerNotFound")
        {
            return null;
        }
    }

    /// <summary>
    /// Holds the day's build lease until disposed, renewed every third of its duration however long the build
    /// runs; while another build holds it, tries again under <see cref="StoragePolicies.RollupLeaseWait"/> (about 3 minutes). A build whose renewals all fail for a whole lease duration (storage
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
        await pipelines.GetPipeline(StoragePolicies.RollupLeaseWait).ExecuteAsync(
            async ct => await lease.AcquireAsync(leaseDuration, cancellationToken: ct), cancellationToken);
        return new Lease(lease, leaseDuration / 3);
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
