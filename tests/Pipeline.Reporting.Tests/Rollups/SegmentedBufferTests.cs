using Pipeline.Reporting.Rollups;

namespace Pipeline.Reporting.Tests.Rollups;

/// <summary>The renderers' and uploads' buffer behaves as a MemoryStream does for what the libraries ask of it: writes across segments, seeks back to overwrite (the zip's local headers), gaps as zeros.</summary>
public sealed class SegmentedBufferTests
{
    private static byte[] Pattern(int length, int seed) => [.. Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed))];

    private static void Apply(Stream stream, Action<Stream> step) => step(stream);

    [Fact]
    public async Task Writes_seeks_overwrites_gaps_and_reads_match_a_memory_stream()
    {
        var segment = SegmentedBuffer.SegmentBytes;
        Action<Stream>[] steps =
        [
            s => s.Write(Pattern(segment - 3, 1)),
            s => s.Write(Pattern(segment * 2 + 7, 2)),
            s => s.Seek(10, SeekOrigin.Begin),
            s => s.Write(Pattern(segment, 3)),
            s => s.Seek(segment * 4, SeekOrigin.End),
            s => s.Write(Pattern(5, 4)),
            s => s.SetLength(segment * 3),
            s => s.SetLength(segment * 3 + 100),
            s => s.Position = segment - 1,
            s => s.WriteByte(9),
        ];
        using var expected = new MemoryStream();
        // Dirty segments from the pool must not show through: fill and drop one buffer first.
        using (var dirty = new SegmentedBuffer())
        {
            dirty.Write(Enumerable.Repeat((byte)0xAB, segment * 8).ToArray());
        }

        using var actual = new SegmentedBuffer();
        foreach (var step in steps)
        {
            Apply(expected, step);
            Apply(actual, step);
            Assert.Equal((expected.Length, expected.Position), (actual.Length, actual.Position));
        }

        actual.Position = 0;
        var read = new byte[actual.Length + 10];
        var total = 0;
        for (int n; (n = actual.Read(read, total, Math.Min(1000, read.Length - total))) > 0;)
        {
            total += n;
        }

        Assert.Equal(expected.ToArray(), read[..total]);
        using var copied = new MemoryStream();
        await actual.WriteToAsync(copied, CancellationToken.None);
        Assert.Equal(expected.ToArray(), copied.ToArray());
    }
}
