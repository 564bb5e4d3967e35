using System.Buffers;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> on arrays rented from the shared pool and returned when disposed: for bytes that
/// are copied out once written (a state row's JSON becomes the entity's string), so that the buffer is not garbage
/// of the row's size beside the string every report makes.
/// </summary>
internal sealed class PooledBufferWriter(int capacity) : IBufferWriter<byte>, IDisposable
{
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));
    private int written;

    public ReadOnlySpan<byte> WrittenSpan => buffer.AsSpan(0, written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, buffer.Length - written);
        written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(written, Room(sizeHint));

    public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(written, Room(sizeHint));

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
        written = 0;
    }

    /// <summary>Room for at least <paramref name="sizeHint"/> bytes (one when 0), in a larger rented array if need be.</summary>
    private int Room(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (buffer.Length - written < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, written + needed));
            WrittenSpan.CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        return buffer.Length - written;
    }
}
