using System.Buffers;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// A seekable in-memory stream held in pooled segments of <see cref="SegmentBytes"/>, below the large-object heap's
/// threshold (85,000 bytes): a file being made or waiting for its upload never asks for one large array, nor for the
/// doubling copies a <see cref="MemoryStream"/> makes as it grows (each a large object that only a full collection frees:
/// a build makes hundreds of files). Disposing returns the segments to the pool.
/// </summary>
public sealed class SegmentedBuffer : Stream
{
    public const int SegmentBytes = 64 * 1024;

    private readonly List<byte[]> segments = [];
    private long length;
    private long position;
    private bool disposed;

    public override bool CanRead => !disposed;

    public override bool CanSeek => !disposed;

    public override bool CanWrite => !disposed;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>Empties the buffer for reuse, keeping its segments.</summary>
    public void Clear() => length = position = 0;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (position > length)
        {
            // Written after a seek past the end: the gap reads as zeros (pooled segments are not clean).
            Zero(length, position);
        }

        while (!buffer.IsEmpty)
        {
            var (segment, at) = SegmentAt(position, grow: true);
            var n = Math.Min(buffer.Length, SegmentBytes - at);
            buffer[..n].CopyTo(segments[segment].AsSpan(at));
            buffer = buffer[n..];
            position += n;
        }

        length = Math.Max(length, position);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var read = 0;
        while (read < buffer.Length && position < length)
        {
            var (segment, at) = SegmentAt(position, grow: false);
            var n = (int)Math.Min(Math.Min(buffer.Length - read, SegmentBytes - at), length - position);
            segments[segment].AsSpan(at, n).CopyTo(buffer[read..]);
            read += n;
            position += n;
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    /// <summary>Writes the whole content, from the start, to <paramref name="destination"/>, a segment at a time.</summary>
    public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
    {
        for (long at = 0; at < length; at += SegmentBytes)
        {
            await destination.WriteAsync(segments[(int)(at / SegmentBytes)].AsMemory(0, (int)Math.Min(SegmentBytes, length - at)), cancellationToken);
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => position + offset,
        SeekOrigin.End => length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override void SetLength(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (value > length)
        {
            Zero(length, value);
        }

        length = value;
        position = Math.Min(position, length);
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            disposed = true;
            foreach (var segment in segments)
            {
                ArrayPool<byte>.Shared.Return(segment);
            }

            segments.Clear();
        }

        base.Dispose(disposing);
    }

    private (int Segment, int At) SegmentAt(long at, bool grow)
    {
        var segment = (int)(at / SegmentBytes);
        while (grow && segments.Count <= segment)
        {
            segments.Add(ArrayPool<byte>.Shared.Rent(SegmentBytes));
        }

        return (segment, (int)(at % SegmentBytes));
    }

    private void Zero(long from, long to)
    {
        for (var at = from; at < to;)
        {
            var (segment, offset) = SegmentAt(at, grow: true);
            var n = (int)Math.Min(SegmentBytes - offset, to - at);
            segments[segment].AsSpan(offset, n).Clear();
            at += n;
        }
    }
}
