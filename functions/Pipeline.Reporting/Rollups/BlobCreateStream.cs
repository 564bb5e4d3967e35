using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// A new blob written front to back as a stream, with its size and SHA-256 counted on the way. Up to
/// <c>singleUploadBytes</c> it is held and then created in one request; a larger file goes out in blocks as it is written
/// (the blob client's block stream), so a large area's file is never held whole. Either way the blob is created only if
/// none exists (If-None-Match: *); one left by a build that stopped before recording its revision (nobody was ever shown
/// it: readers see only revisions up to the index's latest) is replaced on its ETag, so two builders never both replace it.
/// </summary>
public sealed class BlobCreateStream(BlockBlobClient blob, string contentType, int singleUploadBytes) : Stream
{
    private readonly IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly MemoryStream held = new();
    private Stream? blocks;
    private long length;
    private bool completed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !completed;

    public override long Length => length;

    public override long Position { get => length; set => throw new NotSupportedException(); }

    private BlobHttpHeaders Headers => new() { ContentType = contentType };

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Written asynchronously only: a write past the single-upload size goes to the storage.</summary>
    public override void Write(ReadOnlySpan<byte> buffer) => throw new NotSupportedException("A blob is written asynchronously.");

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Count(buffer.Span);
        if (blocks is null && held.Length + buffer.Length <= singleUploadBytes)
        {
            held.Write(buffer.Span);
            return;
        }

        blocks ??= await OpenAsync(cancellationToken);
        if (held.Length > 0)
        {
            held.Position = 0;
            await held.CopyToAsync(blocks, cancellationToken);
            held.SetLength(0);
        }

        await blocks.WriteAsync(buffer, cancellationToken);
    }

    /// <summary>Creates the blob from what was written (or commits its blocks); returns its size and SHA-256 (lowercase hex).</summary>
    public async Task<(long Bytes, string Sha256)> CompleteAsync(CancellationToken cancellationToken)
    {
        completed = true;
        if (blocks is not null)
        {
            await blocks.DisposeAsync();
        }
        else
        {
            await CreateAsync(BinaryData.FromBytes(held.GetBuffer().AsMemory(0, (int)held.Length)), cancellationToken);
        }

        return (length, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Blocks staged but never committed (a failed render) expire with the storage's uncommitted-block clean-up.
            blocks?.Dispose();
            held.Dispose();
            sha.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Count(ReadOnlySpan<byte> buffer)
    {
        if (completed)
        {
            throw new InvalidOperationException("The blob is already created.");
        }

        sha.AppendData(buffer);
        length += buffer.Length;
    }

    private async Task CreateAsync(BinaryData content, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(content.ToStream(), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = Headers,
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == "BlobAlreadyExists")
        {
            var orphan = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            await blob.UploadAsync(content.ToStream(), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfMatch = orphan.Value.ETag },
                HttpHeaders = Headers,
            }, cancellationToken);
        }
    }

    /// <summary>The block stream: opening it creates the blob empty, on the same conditions as <see cref="CreateAsync"/>.</summary>
    private async Task<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await blob.OpenWriteAsync(true, Options(new BlobRequestConditions { IfNoneMatch = ETag.All }), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == "BlobAlreadyExists")
        {
            var orphan = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            return await blob.OpenWriteAsync(true, Options(new BlobRequestConditions { IfMatch = orphan.Value.ETag }), cancellationToken);
        }

        BlockBlobOpenWriteOptions Options(BlobRequestConditions conditions) => new() { OpenConditions = conditions, HttpHeaders = Headers };
    }
}
