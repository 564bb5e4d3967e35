using Azure.Data.Tables;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Storage;

namespace Pipeline.Tests.Unit;

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
    public void A_unit_with_no_row_covers_every_day_and_a_row_remembers_each_revision_of_a_day()
    {
        Assert.True(UnitState.New(Unit).Covers(new DateOnly(2000, 1, 1)));
        var state = UnitState.New(Unit).With(Revision(Day, 1, "h1", "s1")).With(Revision(Day, 2, "h2", "s2", returnees: 9));
        Assert.True(state.Covers(Day.AddDays(-UnitState.KeepDays)));
        var day = state.DayOf(Day)!;
        Assert.Equal([1, 2], day.Revisions.Select(r => r.Revision));
        Assert.Equal(2, day.Latest);
        Assert.Equal(9, day.Values["returnees"]);
    }

    [Fact]
    public void Days_older_than_the_keep_window_are_let_go_and_no_longer_covered()
    {
        var old = Day.AddDays(-UnitState.KeepDays - 1);
        var state = UnitState.New(Unit).With(Revision(old, 1, "a")).With(Revision(Day, 1, "b"));
        Assert.Null(state.DayOf(old));
        Assert.False(state.Covers(old));
        Assert.True(state.Covers(Day.AddDays(-UnitState.KeepDays)));
        Assert.Equal([Day], state.Days.Select(d => d.Date));
    }

    [Fact]
    public void History_is_the_days_before_within_the_window_newest_first()
    {
        var state = UnitState.New(Unit);
        foreach (var back in new[] { 40, 30, 3, 1, 0 })
        {
            state = state.With(Revision(Day.AddDays(-back), 1, $"h{back}"));
        }

        Assert.Equal([Day.AddDays(-1), Day.AddDays(-3), Day.AddDays(-30)], state.HistoryBefore(Day, 30).Select(d => d.Date));
    }

    [Fact]
    public void A_replay_is_the_same_submission_with_the_same_content_or_the_newest_content_again()
    {
        var state = UnitState.New(Unit).With(Revision(Day, 1, "h1", "s1")).With(Revision(Day, 2, "h2", "s2"));
        var window = new UnitWindow(state, Day, state.DayOf(Day)!.Revisions, []);
        Assert.Equal(1, window.ReplayOf("s1", "h1")!.Revision);
        Assert.Equal(2, window.ReplayOf(null, "h2")!.Revision);
        Assert.Equal(2, window.ReplayOf("other", "h2")!.Revision);
        Assert.Null(window.ReplayOf("s1", "changed"));
        Assert.Null(window.ReplayOf(null, "h1"));
    }

    [Fact]
    public void The_row_reads_back_as_written_and_survives_a_catalogue_that_lost_an_indicator()
    {
        var state = UnitState.New(Unit).With(Revision(Day.AddDays(-1), 1, "h1", "s1", returnees: 3)).With(Revision(Day, 1, "h2", null, returnees: 4.5m));
        var entity = mapper.ToEntity(state, "623024");
        Assert.Equal(("623024", "u_623024100"), (entity.PartitionKey, entity.RowKey));

        var read = mapper.FromEntity(entity);
        Assert.Equal(state.Days.Select(d => (d.Date, d.Latest, d.Values["returnees"])), read.Days.Select(d => (d.Date, d.Latest, d.Values["returnees"])));
        Assert.Equal(state.DayOf(Day.AddDays(-1))!.Revisions, read.DayOf(Day.AddDays(-1))!.Revisions);

        entity["keys"] = entity.GetString("keys")!.Replace("\"returnees\"", "\"retired\"", StringComparison.Ordinal);
        Assert.All(mapper.FromEntity(entity).Days, d => Assert.False(d.Values.ContainsKey("returnees")));
    }

    [Fact]
    public void A_row_that_would_outgrow_a_table_property_lets_its_oldest_days_go()
    {
        var state = UnitState.New(Unit);
        for (var back = UnitState.KeepDays; back >= 0; back--)
        {
            for (var revision = 1; revision <= 30; revision++)
            {
                state = state.With(Revision(Day.AddDays(-back), revision, new string('h', 43), Guid.NewGuid().ToString()));
            }
        }

        var entity = mapper.ToEntity(state, "623024");
        Assert.True(entity.GetString("days")!.Length <= 30_000);
        var read = mapper.FromEntity(entity);
        Assert.Equal(Day, read.Days[^1].Date);
        Assert.True(read.Days.Count < state.Days.Count);
        Assert.False(read.Covers(state.Days[0].Date), "a day let go is no longer covered, so a report for it reads its revisions");
        Assert.True(read.Covers(read.Days[0].Date));
    }
}
