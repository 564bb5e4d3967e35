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
}
