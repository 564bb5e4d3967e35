using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Tests.Storage;

/// <summary>The state row a submission reads instead of the unit's revisions: what it keeps, lets go, and tells.</summary>
public sealed class UnitStateTests
{
    private const string Unit = "623024100";
    private static readonly DateOnly Day = new(2026, 11, 27);
    private readonly UnitStateMapper mapper = new(IndicatorCatalogue.LoadEmbedded());

    private static StoredReport Revision(DateOnly date, int revision, string hash, string? submissionId = null, decimal returnees = 5) =>
        new(Unit, date, revision, submissionId, new Dictionary<string, decimal> { ["returnees"] = returnees }, "", "", "",
            DateTimeOffset.UnixEpoch, false, "", [], hash, "");

    [Fact]
    public void A_row_knows_the_kept_days_and_remembers_each_revision_of_a_day()
    {
        Assert.True(UnitState.New(Unit).Knows(Day.AddDays(-UnitState.KeepDays), Day));
        Assert.False(UnitState.New(Unit).Knows(Day.AddDays(-UnitState.KeepDays - 1), Day));
        var state = UnitState.New(Unit).With(Revision(Day, 1, "h1", "s1"), Day).With(Revision(Day, 2, "h2", "s2", returnees: 9), Day);
        Assert.True(state.Knows(Day.AddDays(-UnitState.KeepDays), Day));
        var day = state.DayOf(Day)!;
        Assert.Equal([1, 2], day.Revisions.Select(r => r.Revision));
        Assert.Equal(2, day.Latest);
        Assert.Equal(9, day.Values["returnees"]);
    }

    [Fact]
    public void A_row_keeps_the_first_sixteen_characters_of_each_revisions_content_hash_and_a_row_written_before_reads_as_it_was()
    {
        var hash = new string('a', 16) + new string('b', 48);
        var state = UnitState.New(Unit).With(Revision(Day, 1, hash, "s1"), Day);
        Assert.Equal(new string('a', 16), Assert.Single(state.DayOf(Day)!.Revisions).ContentHash);

        // A whole day of ids is most of a row, and each id was mostly its hash: the row shrinks by that much.
        var full = state with { Days = [state.DayOf(Day)! with { Revisions = [new RevisionId(1, "s1", hash)] }] };
        var fullLength = mapper.ToEntity(full, "623024").GetString("days")!.Length;
        Assert.Equal(fullLength - 48, mapper.ToEntity(state, "623024").GetString("days")!.Length);

        // A row written with whole hashes reads back whole.
        Assert.Equal(hash, Assert.Single(mapper.FromEntity(mapper.ToEntity(full, "623024")).DayOf(Day)!.Revisions).ContentHash);
    }

    [Fact]
    public void A_kept_hash_matches_the_whole_hash_it_was_cut_from_and_nothing_else()
    {
        var hash = new string('a', 16) + new string('b', 48);
        var kept = new RevisionId(1, "s1", RevisionId.Kept(hash));
        Assert.True(kept.HasContent(hash));
        Assert.True(new RevisionId(1, "s1", hash).HasContent(hash));
        Assert.True(new RevisionId(1, "s1", hash).HasContent(RevisionId.Kept(hash)));
        Assert.False(kept.HasContent(new string('a', 15) + new string('b', 49)));
        Assert.False(new RevisionId(1, "s1", "h1").HasContent("h12"));
        Assert.False(new RevisionId(1, "s1", "").HasContent(hash));
    }

    [Fact]
    public void Days_that_fall_out_of_the_keep_window_are_let_go()
    {
        var early = Day.AddDays(-UnitState.KeepDays);
        var state = UnitState.New(Unit).With(Revision(early, 1, "a"), Day).With(Revision(Day, 1, "b"), Day);
        Assert.Equal([early, Day], state.Days.Select(d => d.Date));

        var tomorrow = Day.AddDays(1);
        state = state.With(Revision(tomorrow, 1, "c"), tomorrow);
        Assert.Null(state.DayOf(early));
        Assert.False(state.Knows(early, tomorrow));
        Assert.Equal([Day, tomorrow], state.Days.Select(d => d.Date));
    }

    [Fact]
    public void History_is_the_days_before_within_the_window_newest_first()
    {
        var state = UnitState.New(Unit);
        foreach (var back in new[] { 40, 30, 3, 1, 0 })
        {
            state = state.With(Revision(Day.AddDays(-back), 1, $"h{back}"), Day);
        }

        Assert.Equal([Day.AddDays(-1), Day.AddDays(-3), Day.AddDays(-30)], state.HistoryBefore(Day, 30).Select(d => d.Date));
    }

    [Fact]
    public void The_row_reads_back_as_written_and_survives_a_catalogue_that_lost_an_indicator()
    {
        var state = UnitState.New(Unit).With(Revision(Day.AddDays(-1), 1, "h1", "s1", returnees: 3), Day).With(Revision(Day, 1, "h2", null, returnees: 4.5m), Day);
        var entity = mapper.ToEntity(state, "623024");
        Assert.Equal(("623024", "u_623024100"), (entity.PartitionKey, entity.RowKey));

        var read = mapper.FromEntity(entity);
        Assert.Equal(state.Days.Select(d => (d.Date, d.Latest, d.Values["returnees"])), read.Days.Select(d => (d.Date, d.Latest, d.Values["returnees"])));
        Assert.Equal(state.DayOf(Day.AddDays(-1))!.Revisions, read.DayOf(Day.AddDays(-1))!.Revisions);

        entity["keys"] = entity.GetString("keys")!.Replace("\"returnees\"", "\"retired\"", StringComparison.Ordinal);
        Assert.All(mapper.FromEntity(entity).Days, d => Assert.False(d.Values.ContainsKey("returnees")));
    }

    [Fact]
    public void A_written_row_counts_one_write_more_than_the_copy_it_was_planned_on()
    {
        var first = mapper.ToEntity(UnitState.New(Unit).With(Revision(Day, 1, "h1"), Day), "623024");
        Assert.Equal(1, mapper.RowOf(first).Writes);

        var read = mapper.FromEntity(first);
        Assert.Equal(1, read.Writes);
        Assert.Equal(2, mapper.RowOf(mapper.ToEntity(read.With(Revision(Day, 2, "h2"), Day), "623024")).Writes);

        // A row written before the count was kept reads as 0 writes, and its next write is the first counted.
        first.Remove("writes");
        Assert.Equal(0, mapper.RowOf(first).Writes);
        Assert.Equal(1, mapper.RowOf(mapper.ToEntity(mapper.FromEntity(first), "623024")).Writes);
    }

    [Fact]
    public void A_row_that_would_outgrow_a_table_property_keeps_every_day_and_only_the_newest_ids()
    {
        var state = UnitState.New(Unit);
        for (var back = UnitState.KeepDays; back >= 0; back--)
        {
            for (var revision = 1; revision <= 30; revision++)
            {
                state = state.With(Revision(Day.AddDays(-back), revision, new string('h', 64), new string('s', 64), returnees: revision), Day);
            }
        }

        var entity = mapper.ToEntity(state, "623024");
        Assert.True(entity.GetString("days")!.Length <= 30_000);
        var read = mapper.FromEntity(entity);
        Assert.Equal(state.Days.Select(d => (d.Date, d.Latest, d.Values["returnees"])), read.Days.Select(d => (d.Date, d.Latest, d.Values["returnees"])));
        Assert.All(read.Days, d => Assert.False(d.IsComplete));
        Assert.True(read.Knows(state.Days[0].Date, Day), "every day stays known: its values are the soft rules' history");
        Assert.False(read.Holds(Day, Day), "a day whose older ids left the row is not held, so a replay of one of those reads the revisions");
    }

    [Fact]
    public void One_day_of_a_thousand_corrections_fits_and_keeps_its_newest_ids()
    {
        var state = UnitState.New(Unit);
        for (var revision = 1; revision <= 1000; revision++)
        {
            state = state.With(Revision(Day, revision, new string('h', 64), new string('s', 64)), Day);
        }

        var entity = mapper.ToEntity(state, "623024");
        Assert.True(entity.GetString("days")!.Length <= 30_000);
        var day = mapper.FromEntity(entity).DayOf(Day)!;
        Assert.Equal(1000, day.Latest);
        Assert.Equal(Enumerable.Range(981, 20), day.Revisions.Select(r => r.Revision));
    }

    [Fact]
    public void A_day_of_few_revisions_is_held_whole()
    {
        var state = UnitState.New(Unit).With(Revision(Day, 1, "h1"), Day).With(Revision(Day, 2, "h2"), Day);
        var read = mapper.FromEntity(mapper.ToEntity(state, "623024"));
        Assert.True(read.DayOf(Day)!.IsComplete);
        Assert.True(read.Holds(Day, Day));
        Assert.True(read.Holds(Day.AddDays(-3), Day), "a kept day without reports is held: it has no revisions");
        Assert.False(read.Holds(Day.AddDays(-UnitState.KeepDays - 1), Day));
    }

    [Fact]
    public void The_days_are_the_serializers_bytes_so_rows_written_before_and_after_read_alike()
    {
        var catalogue = IndicatorCatalogue.LoadEmbedded();
        var state = UnitState.New(Unit);
        var odd = new Dictionary<string, decimal> { ["returnees"] = 1500.5m, ["fromHubei"] = 12.0m, ["homeQuarantine"] = 0m, ["personsChecked"] = 123_456_789_012m };
        state = state.With(Revision(Day.AddDays(-2), 1, "h1", "s1"), Day).With(Revision(Day.AddDays(-2), 2, "h2", null, returnees: 7), Day);
        state = state.With(new StoredReport(Unit, Day.AddDays(-1), 1, "手机-<1>&'", odd, "", "", "", DateTimeOffset.UnixEpoch, false, "", [], "h\\\"1", ""), Day);
        state = state.With(Revision(Day, 1, "h3", "s3", returnees: 0.25m), Day);

        var written = mapper.ToEntity(state, "623024").GetString("days");

        var keys = catalogue.Indicators.Select(i => i.Key).ToList();
        var serialized = JsonSerializer.Serialize(state.Days.Select(d => new DayJson(
            ReportKeys.Day(d.Date),
            d.Revisions.Select(r => new RevisionJson(r.Revision, r.SubmissionId, r.ContentHash)).ToList(),
            keys.Select(k => d.Values.TryGetValue(k, out var v) ? v : (decimal?)null).ToList())));
        Assert.Equal(serialized, written);

        var read = mapper.FromEntity(new TableEntity("623024", "u_" + Unit) { ["unitCode"] = Unit, ["completeFrom"] = "", ["keys"] = JsonSerializer.Serialize(keys), ["days"] = serialized });
        Assert.Equal(state.Days.Select(d => d.Date), read.Days.Select(d => d.Date));
        Assert.Equal(state.Days.SelectMany(d => d.Revisions), read.Days.SelectMany(d => d.Revisions));
        Assert.All(state.Days.Zip(read.Days), pair => Assert.Equal(pair.First.Values.OrderBy(v => v.Key), pair.Second.Values.OrderBy(v => v.Key)));
        Assert.Equal(1, read.DayOf(Day.AddDays(-1))!.Values["fromHubei"].Scale);
    }

    /// <summary>
    /// Every report reads its unit's row and writes it again. Through the serializer's records a 45-day row cost about
    /// 29 times its own size in garbage (313 KB for 10.8 KB), which showed in the ingest's collections and its p99.
    /// </summary>
    [Fact]
    public void Reading_and_writing_a_full_row_allocates_a_few_times_its_size()
    {
        var catalogue = IndicatorCatalogue.LoadEmbedded();
        var state = FullRow(catalogue);
        var entity = mapper.ToEntity(state, "623024");
        entity.ETag = new Azure.ETag("W/\"1\"");
        var row = mapper.RowOf(entity);
        for (var warm = 0; warm < 20; warm++)
        {
            mapper.ToEntity(mapper.FromRow(row), "623024");
        }

        const int rounds = 20;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < rounds; round++)
        {
            mapper.ToEntity(mapper.FromRow(row), "623024");
        }

        var perRound = (GC.GetAllocatedBytesForCurrentThread() - before) / rounds;
        Assert.True(perRound < 12 * row.Days.Length, $"{perRound} bytes allocated to read and write a row of {row.Days.Length} bytes");
    }

    /// <summary>
    /// A report of a unit whose state is cached is planned on that state and writes its next state, which the cache then
    /// keeps. The cache held the row's JSON until this round, so every report parsed the row (its days, ids and values)
    /// and copied the written JSON back to bytes, and the copy lived on past the next collections: at 45 days that was
    /// 119 KB a report (9.7 times the row's 12,264 characters: parse, write, copy); planned on the cached state it is
    /// 54 KB (4.4 times: the entity's string and the writer's buffer, the changed day and the list of days).
    /// </summary>
    [Fact]
    public void A_report_on_a_cached_state_writes_its_row_without_parsing_it_and_shares_the_days_it_did_not_change()
    {
        var catalogue = IndicatorCatalogue.LoadEmbedded();
        var state = FullRow(catalogue);
        var (first, stored) = mapper.ToStored(state, "623024");
        Assert.Equal(state.Writes + 1, stored.Writes);
        Assert.Equal(first.GetInt64("writes"), stored.Writes);
        Assert.All(stored.Days.Zip(state.Days), pair => Assert.Same(pair.Second, pair.First));

        var next = stored.With(new StoredReport(Unit, Day, 2, "phone-again", state.Days[^1].Values, "", "", "", DateTimeOffset.UnixEpoch, false, "", [], new string('b', 64), ""), Day);
        var (_, written) = mapper.ToStored(next, "623024");
        Assert.All(written.Days.SkipLast(1).Zip(stored.Days), pair => Assert.Same(pair.Second, pair.First));
        var rowBytes = first.GetString("days")!.Length;

        for (var warm = 0; warm < 20; warm++)
        {
            CachedCycle();
        }

        const int rounds = 20;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < rounds; round++)
        {
            CachedCycle();
        }

        var perReport = (GC.GetAllocatedBytesForCurrentThread() - before) / rounds;
        Assert.True(perReport < 5 * rowBytes, $"{perReport} bytes allocated to write the next state of a row of {rowBytes} characters");

        void CachedCycle() => mapper.ToStored(stored.With(new StoredReport(Unit, Day, 3, "phone-3", state.Days[^1].Values, "", "", "", DateTimeOffset.UnixEpoch, false, "", [], new string('c', 64), ""), Day), "623024");
    }

    /// <summary>
    /// The row's JSON is written into a pooled buffer and copied once into the entity's string: what a write leaves is
    /// that string (two bytes a character) and the entity, not also a buffer of the row's size (a third more garbage).
    /// </summary>
    [Fact]
    public void Writing_a_row_allocates_its_string_and_the_entity_and_no_buffer_beside_them()
    {
        var state = FullRow(IndicatorCatalogue.LoadEmbedded());
        var chars = mapper.ToEntity(state, "623024").GetString("days")!.Length;
        for (var warm = 0; warm < 20; warm++)
        {
            mapper.ToEntity(state, "623024");
        }

        const int rounds = 20;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < rounds; round++)
        {
            mapper.ToEntity(state, "623024");
        }

        var perRow = (GC.GetAllocatedBytesForCurrentThread() - before) / rounds;
        Assert.True(perRow < (2 * chars) + 2_048, $"{perRow} bytes allocated to write a row of {chars} characters");
    }

    private static UnitState FullRow(IndicatorCatalogue catalogue)
    {
        var state = UnitState.New(Unit);
        for (var back = UnitState.KeepDays; back >= 0; back--)
        {
            var values = catalogue.Indicators.Take(12).Select((indicator, i) => (indicator.Key, Value: (decimal)((i * 7) + back))).ToDictionary(v => v.Key, v => v.Value);
            state = state.With(new StoredReport(Unit, Day.AddDays(-back), 1, $"phone-{back}", values, "", "", "", DateTimeOffset.UnixEpoch, false, "", [], new string('a', 64), ""), Day);
        }

        return state;
    }

    private sealed record DayJson(
        [property: JsonPropertyName("d")] string Date,
        [property: JsonPropertyName("ids")] List<RevisionJson> Revisions,
        [property: JsonPropertyName("v")] List<decimal?> Values);

    private sealed record RevisionJson(
        [property: JsonPropertyName("r")] int Revision,
        [property: JsonPropertyName("s")] string? SubmissionId,
        [property: JsonPropertyName("h")] string ContentHash);
}
