using System.Diagnostics;
using Pipeline.Azurite;

namespace Pipeline.LocalHost.Tests;

/// <summary>The benchmark's reading of Azurite's <c>node --trace-gc</c> lines (lines as node 20 prints them).</summary>
public sealed class AzuriteFullCollectionTests
{
    private const long ReceivedAt = 1_000_000_000_000;

    [Fact]
    public void A_mark_compact_line_gives_the_collection_from_the_start_of_its_marking_to_the_lines_arrival()
    {
        const string line = "[26301:0x32edb4b0]    22095 ms: Mark-Compact 260.4 (299.8) -> 109.4 (300.3) MB, 6.97 / 0.42 ms  " +
            "(+ 20.4 ms in 153 steps since start of marking, biggest step 3.3 ms, walltime since start of marking 114 ms) " +
            "(average mu = 0.985, current mu = 0.930) allocation failure; scavenge might not succeed";

        var collection = AzuriteFullCollection.FromTraceLine(line, ReceivedAt);

        Assert.NotNull(collection);
        Assert.Equal(ReceivedAt, collection.EndTimestamp);
        Assert.Equal(ReceivedAt - (long)(120.97 / 1000 * Stopwatch.Frequency), collection.StartTimestamp);
        Assert.Equal(120.97, collection.Duration.TotalMilliseconds, 0.01);
    }

    [Fact]
    public void A_full_collection_without_incremental_marking_lasts_its_pause()
    {
        const string line = "[26301:0x32edb4b0]      306 ms: Mark-Compact (reduce) 15.1 (29.0) -> 12.1 (31.2) MB, 6.41 / 0.00 ms  " +
            "(average mu = 1.000, current mu = 1.000) last resort; GC in old space requested";

        var collection = AzuriteFullCollection.FromTraceLine(line, ReceivedAt);

        Assert.NotNull(collection);
        Assert.Equal(6.41, collection.Duration.TotalMilliseconds, 0.01);
    }

    [Theory]
    [InlineData("[26301:0x32edb4b0]       42 ms: Scavenge 4.4 (4.5) -> 3.7 (5.5) MB, 0.81 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure;")]
    [InlineData("Azurite Table service is successfully listening at http://127.0.0.1:42755")]
    [InlineData("")]
    public void Any_other_line_gives_none(string line) => Assert.Null(AzuriteFullCollection.FromTraceLine(line, ReceivedAt));

    [Fact]
    public void An_operation_overlaps_a_collection_when_any_part_of_it_ran_during_the_collection()
    {
        var collection = new AzuriteFullCollection(100, 200);

        Assert.True(collection.Overlaps(50, 100));
        Assert.True(collection.Overlaps(150, 160));
        Assert.True(collection.Overlaps(200, 300));
        Assert.True(collection.Overlaps(50, 300));
        Assert.False(collection.Overlaps(50, 99));
        Assert.False(collection.Overlaps(201, 300));
    }
}
