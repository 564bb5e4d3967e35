using System.IO.Compression;
using System.Security.Cryptography;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.IO;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// A new blob written front to back as a stream, with its size and SHA-256 counted on the way. What is written is held in
/// a stream of the <see cref="RollupBufferPool"/> (small pooled blocks, never one large array) up to <c>blockBytes</c>: a file that
/// ends within that is created in one request; a larger one is staged block by block as each fills, so a large area's file
/// costs one block of memory, never the whole file, and the block list is committed at the end. Either way the blob is
/// created only if none exists (If-None-Match: *); one left by a build that stopped before recording its revision (nobody
/// was ever shown it: readers see only revisions up to the index's latest) is replaced on its ETag, so two builders
/// never both replace it. Block ids are this stream's own, so blocks another writer staged are never committed with it.
/// With <c>gzip</c> the blob holds the file gzip-encoded (Content-Encoding: gzip, its Content-Type the file's): what is
/// written is compressed on the way in, and the size and SHA-256 counted stay the written (decoded) file's, the file a
/// reader gets.
/// </summary>
public sealed class BlobCreateStream : Stream
{
    /// <summary>The Content-Encoding of a blob written with <c>gzip</c>.</summary>
    public const string Gzip = "gzip";

    private readonly BlockBlobClient blob;
    private readonly int blockBytes;
    private readonly IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>
    /// The MD5 of a block, taken from the held bytes when it is staged and sent with it (Content-MD5): the storage then
    /// checks the block it received and refuses one damaged on the way, instead of committing it. (Azurite, which otherwise
    /// computes a CRC-64 of every staged block in JavaScript on its one thread, checks an MD5 natively.) A file created in
    /// one request is never hashed for it.
    /// </summary>
    private readonly IncrementalHash blockMd5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly RecyclableMemoryStream held;
    private readonly List<string> blockIds = [];
    private readonly string blockPrefix = Guid.NewGuid().ToString("N");
    private readonly BlobHttpHeaders headers;
    private readonly EncodedSink? sink;
    private readonly GZipStream? encoder;
    private const int EncodedFlushBytes = 32 * 1024;
    private long length;
    private long unflushed;
    private bool completed;

    public BlobCreateStream(BlockBlobClient blob, string contentType, int blockBytes, RecyclableMemoryStreamManager buffers, bool gzip = false)
    {
        this.blob = blob;
        this.blockBytes = blockBytes;
        held = buffers.GetStream("upload block");
        headers = new BlobHttpHeaders { ContentType = contentType, ContentEncoding = gzip ? Gzip : null };
        if (gzip)
        {
            sink = new EncodedSink(this);
            // Fastest (zlib-ng's level 1): the JSON and CSV shrink about tenfold at a small part of their rendering's CPU.
            encoder = new GZipStream(sink, CompressionLevel.Fastest, leaveOpen: true);
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !completed;

    public override long Length => length;

    public override long Position { get => length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Written asynchronously only: a write that fills a block goes to the storage.</summary>
    public override void Write(ReadOnlySpan<byte> buffer) => throw new NotSupportedException("A blob is written asynchronously.");

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Count(buffer.Span);
        return encoder is null ? HoldAsync(buffer, cancellationToken) : EncodeAsync(buffer, cancellationToken);
    }

    /// <summary>
    /// Encoded, the encoding flushed after every <see cref="EncodedFlushBytes"/> of the file: a file written while its data
    /// still comes in (the prefecture's JSON) then reaches the storage as it is written, not all at the end.
    /// </summary>
    private async ValueTask EncodeAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await encoder!.WriteAsync(buffer, cancellationToken);
        unflushed += buffer.Length;
        if (unflushed >= EncodedFlushBytes)
        {
            unflushed = 0;
            await encoder.FlushAsync(cancellationToken);
        }
    }

    /// <summary>The blob's next bytes (the file, or its encoding), staged as a block whenever one is full and more follow.</summary>
    private async ValueTask HoldAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            if (held.Length == blockBytes)
            {
                // A full block with more to come: the file is larger than one upload.
                await StageAsync(cancellationToken);
            }

            var n = (int)Math.Min(buffer.Length, blockBytes - held.Length);
            held.Write(buffer.Span[..n]);
            buffer = buffer[n..];
        }
    }

    /// <summary>Creates the blob from what was written (or commits its blocks); returns its size and SHA-256 (lowercase hex).</summary>
    public async Task<(long Bytes, string Sha256)> CompleteAsync(CancellationToken cancellationToken)
    {
        completed = true;
        if (encoder is not null)
        {
            // The encoding's last deflate block and the gzip trailer.
            await encoder.DisposeAsync();
        }

        if (blockIds.Count == 0)
        {
            await CreateAsync(cancellationToken);
        }
        else
        {
            if (held.Length > 0)
            {
                await StageAsync(cancellationToken);
            }

            await CommitAsync(cancellationToken);
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
            if (sink is not null)
            {
                // An encoding never completed is dropped: what it still held is not written anywhere.
                sink.Discarding = true;
                encoder!.Dispose();
            }

            held.Dispose();
            sha.Dispose();
            blockMd5.Dispose();
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

    /// <summary>Stages what is held as the next block and empties the buffer for the one after.</summary>
    private async Task StageAsync(CancellationToken cancellationToken)
    {
        // Ids of one length (Base64 of a fixed-width text), as the service requires within a blob.
        var id = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{blockPrefix}-{blockIds.Count:D6}"));
        foreach (var segment in held.GetReadOnlySequence())
        {
            blockMd5.AppendData(segment.Span);
        }

        held.Position = 0;
        var validation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5, PrecalculatedChecksum = blockMd5.GetHashAndReset() };
        await blob.StageBlockAsync(id, held, new BlockBlobStageBlockOptions { TransferValidation = validation }, cancellationToken);
        blockIds.Add(id);
        held.SetLength(0);
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        await WhenNoneOrOrphanAsync(conditions =>
        {
            held.Position = 0;
            return blob.UploadAsync(held, new BlobUploadOptions { Conditions = conditions, HttpHeaders = headers }, cancellationToken);
        }, cancellationToken);
    }

    private async Task CommitAsync(CancellationToken cancellationToken) =>
        await WhenNoneOrOrphanAsync(
            conditions => blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions { Conditions = conditions, HttpHeaders = headers }, cancellationToken),
            cancellationToken);

    /// <summary>Writes on If-None-Match: *; where a blob is there already (an orphan), once more on its ETag.</summary>
    private async Task WhenNoneOrOrphanAsync(Func<BlobRequestConditions, Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await write(new BlobRequestConditions { IfNoneMatch = ETag.All });
        }
        // A blob is there: Put Blob says 409 BlobAlreadyExists; a block list's commit may say 412 to the same condition.
        catch (RequestFailedException e) when (e is { Status: 409, ErrorCode: "BlobAlreadyExists" } or { Status: 412 })
        {
            var orphan = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            await write(new BlobRequestConditions { IfMatch = orphan.Value.ETag });
        }
    }

    /// <summary>Where the gzip encoder writes: the blob's blocks.</summary>
    private sealed class EncodedSink(BlobCreateStream owner) : Stream
    {
        public bool Discarding { get; set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            owner.HoldAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>Only an encoder dropped unfinished writes synchronously (its flush on dispose): that goes nowhere.</summary>
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (!Discarding)
            {
                throw new NotSupportedException("A blob is written asynchronously.");
            }
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
