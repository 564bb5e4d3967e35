using Azure;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Tests.Storage;

/// <summary>This instance's copies of state rows: the newest copy of a row stays, whatever order copies arrive in.</summary>
public sealed class UnitStateCacheTests
{
    private const string Unit = "623024100";

    private static UnitStateCache Cache(int size = 10) => new(Options.Create(new PipelineOptions { UnitStateCacheSize = size }));

    private static UnitState Row(string unitCode, long writes) =>
        UnitState.New(unitCode) with { ETag = new ETag($"W/\"datetime'2026-11-27T04%3A00%3A0{writes}.0000000Z'\""), Writes = writes };

    [Fact]
    public void An_older_copy_set_after_a_newer_one_does_not_replace_it()
    {
        // Request A read the row at its 3rd write; request B wrote the 4th and set its row; A's read arrives last.
        var cache = Cache();
        cache.Set(Row(Unit, 4));
        cache.Set(Row(Unit, 3));

        Assert.True(cache.TryGet(Unit, out var held));
        Assert.Equal((4L, Row(Unit, 4).ETag), (held.Writes, held.ETag));
    }

    [Fact]
    public void A_newer_copy_replaces_an_older_one_and_the_same_write_again_is_taken()
    {
        var cache = Cache();
        cache.Set(Row(Unit, 1));
        cache.Set(Row(Unit, 2));
        Assert.True(cache.TryGet(Unit, out var held));
        Assert.Equal(2, held.Writes);

        // Rows written before the count was kept all read as 0: a copy of one of them replaces another, as before.
        var legacy = UnitState.New("623024101") with { ETag = new ETag("W/\"a\"") };
        cache.Set(legacy);
        cache.Set(legacy with { ETag = new ETag("W/\"b\"") });
        Assert.True(cache.TryGet("623024101", out var replaced));
        Assert.Equal(new ETag("W/\"b\""), replaced.ETag);
    }

    [Fact]
    public void After_a_removal_any_copy_is_taken_and_the_least_recently_used_unit_goes_first()
    {
        var cache = Cache(size: 2);
        cache.Set(Row(Unit, 5));
        cache.Remove(Unit);
        cache.Set(Row(Unit, 2));
        Assert.True(cache.TryGet(Unit, out var held));
        Assert.Equal(2, held.Writes);

        cache.Set(Row("623024101", 1));
        Assert.True(cache.TryGet(Unit, out _)); // Unit is now the most recently used
        cache.Set(Row("623024102", 1));
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet("623024101", out _));
        Assert.True(cache.TryGet(Unit, out _));
    }
}
