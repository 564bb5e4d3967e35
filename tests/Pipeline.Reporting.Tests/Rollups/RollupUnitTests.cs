using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Rollups.Rendering;

namespace Pipeline.Reporting.Tests.Rollups;

using static Pipeline.Reporting.Tests.Rollups.RollupFixtures;

public sealed class RollupUnitTests
{
    private static readonly DateOnly Date = new(2026, 11, 26);

    private static PdfFontLocator Fonts(string? font = null) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:PdfFont"] = font }).Build(),
        NullLogger<PdfFontLocator>.Instance);

    [Fact]
    public void Compose_adds_cumulative_for_flows_and_money_only()
    {
        var day = Day(Date, new Dictionary<string, Dictionary<string, decimal>>
        {
            ["623024100"] = new() { ["returnees"] = 10, ["homeQuarantine"] = 6, ["centralQuarantine"] = 0 },
        });
        var before = new Dictionary<string, decimal> { ["returnees"] = 100, ["donatedCashYuan"] = 5.5m, ["feverReferred"] = 2 };

        var rollup = Builder().Compose(day, Day(Date.AddDays(-1), new Dictionary<string, Dictionary<string, decimal>>()), before);

        Assert.Equal("2026-11-26", rollup.Date);
        Assert.Equal(new Dictionary<string, decimal> { ["returnees"] = 110, ["feverReferred"] = 2, ["donatedCashYuan"] = 5.5m }, rollup.Cumulative);
        Assert.Equal(0, rollup.Totals["centralQuarantine"]);
        Assert.False(rollup.Totals.ContainsKey("fromWuhan"));
        Assert.Empty(rollup.Changes);
    }

    [Fact]
    public void Changes_compare_like_with_like_when_the_previous_day_is_sparsely_reported()
    {
        // Today three townships report; yesterday only one of them did (1 of 102), and one that does not report today.
        var today = Day(Date, new Dictionary<string, Dictionary<string, decimal>>
        {
            ["623024100"] = new() { ["returnees"] = 10, ["homeQuarantine"] = 5, ["feverReferred"] = 0 },
            ["623024101"] = new() { ["returnees"] = 1800, ["homeQuarantine"] = 7 },
            ["623001001"] = new() { ["returnees"] = 30, ["homeQuarantine"] = 2, ["confirmedCases"] = 1 },
        });
        var yesterday = Day(Date.AddDays(-1), new Dictionary<string, Dictionary<string, decimal>>
        {
            ["623024100"] = new() { ["returnees"] = 4, ["homeQuarantine"] = 8, ["confirmedCases"] = 2 },
            ["623025100"] = new() { ["returnees"] = 55, ["homeQuarantine"] = 1 },
        });

        var rollup = Builder().Compose(today, yesterday, new Dictionary<string, decimal>());

        // By hand: only 623024100 reported on both days. returnees 10 - 4, homeQuarantine 5 - 8; feverReferred and
        // confirmedCases were each reported on one day only. Totals-based would have said returnees 1840 - 59 = +1781.
        Assert.Equal(new Dictionary<string, decimal> { ["returnees"] = 6, ["homeQuarantine"] = -3 }, rollup.Changes);
        Assert.Equal(new Dictionary<string, int> { ["returnees"] = 1, ["homeQuarantine"] = 1 }, rollup.ChangeUnits);
        Assert.Equal(new CompletenessCounts(Units.Townships.Count, 2, 2, 0), rollup.PreviousCompleteness);
        Assert.Equal(1840, rollup.Totals["returnees"]);

        // A county's rollup compares its own units only: Diebu has the one unit reported on both days.
        var diebu = Units.Find("623024")!;
        var county = Builder().Compose(today.Within(diebu), yesterday.Within(diebu), new Dictionary<string, decimal>());
        Assert.Equal(new Dictionary<string, decimal> { ["returnees"] = 6, ["homeQuarantine"] = -3 }, county.Changes);
        Assert.Equal(1810, county.Totals["returnees"]);
        Assert.Equal(new CompletenessCounts(Units.TownshipsWithin("623024").Count, 1, 1, 0), county.PreviousCompleteness);
        Assert.Equal("623024", Assert.Single(county.Counties).Code);
        Assert.All(county.Units, u => Assert.Equal("623024", u.CountyCode));

        var hezuo = Builder().Compose(today.Within(Units.Find("623001")!), yesterday.Within(Units.Find("623001")!), new Dictionary<string, decimal>());
        Assert.Empty(hezuo.Changes);
        Assert.Equal(new CompletenessCounts(Units.TownshipsWithin("623001").Count, 0, 0, 0), hezuo.PreviousCompleteness);
    }

    [Fact]
    public void The_content_hash_ignores_revision_generation_time_and_the_comparison_with_the_revision_before()
    {
        var day = Day(Date, new Dictionary<string, Dictionary<string, decimal>> { ["623024100"] = new() { ["returnees"] = 1 } });
        var rollup = Builder().Compose(day, day, new Dictionary<string, decimal>());
        var changes = new RevisionChanges(1, DateTimeOffset.UnixEpoch, [], rollup.Totals, rollup.Totals);
        Assert.Equal(RollupService.Hash(rollup), RollupService.Hash(rollup with { Revision = 3, GeneratedAt = DateTimeOffset.UnixEpoch, RevisionChanges = changes }));
        Assert.NotEqual(RollupService.Hash(rollup), RollupService.Hash(rollup with { Totals = new Dictionary<string, decimal> { ["returnees"] = 0 } }));
        Assert.NotEqual(RollupService.Hash(rollup), RollupService.Hash(rollup with { Provisional = true }));
    }

    [Fact]
    public void Revision_changes_list_the_units_whose_values_changed_and_the_totals_before_and_after()
    {
        var first = Builder().Compose(Day(Date, new Dictionary<string, Dictionary<string, decimal>>
        {
            ["623024100"] = new() { ["returnees"] = 10 },
            ["623024101"] = new() { ["returnees"] = 5 },
        }), Day(Date, None), new Dictionary<string, decimal>()) with { Revision = 1 };
        var second = Builder().Compose(Day(Date, new Dictionary<string, Dictionary<string, decimal>>
        {
            ["623024100"] = new() { ["returnees"] = 12 },
            ["623024101"] = new() { ["returnees"] = 5 },
            ["623001001"] = new() { ["returnees"] = 3 },
        }), Day(Date, None), new Dictionary<string, decimal>());

        var changes = RollupService.Compare(first, second);

        Assert.Equal(1, changes.PreviousRevision);
        Assert.Equal(["623001001", "623024100"], changes.Units.Select(u => u.Code).Order());
        var changed = changes.Units.Single(u => u.Code == "623024100");
        Assert.Equal(10, changed.Before["returnees"]);
        Assert.Equal(12, changed.After["returnees"]);
        Assert.Empty(changes.Units.Single(u => u.Code == "623001001").Before);
        Assert.Equal(15, changes.TotalsBefore["returnees"]);
        Assert.Equal(20, changes.TotalsAfter["returnees"]);

        var sheet = Layout.RevisionChanges(second with { Revision = 2, RevisionChanges = changes });
        Assert.Contains(sheet.Rows, r => (string?)r[0] == "623024100" && (decimal?)r[4] == 10 && (decimal?)r[5] == 12);
        Assert.Contains(sheet.Rows, r => (string?)r[1] == "甘南藏族自治州合计" && (decimal?)r[4] == 15 && (decimal?)r[5] == 20);
    }

    [Fact]
    public void The_pdf_is_made_without_a_font_too()
    {
        var fonts = Fonts("none");
        var rollup = Builder().Compose(Day(Date, Busy()), Day(Date, None), new Dictionary<string, decimal>()) with { Revision = 1 };

        var pdf = new PdfRollupRenderer(Layout, Catalogue, fonts, Buffers).Render(rollup);

        Assert.Null(fonts.Path);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf.Content, 0, 4));
    }

    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+86 138", "'+86 138")]
    [InlineData("-1", "'-1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("电尕镇", "电尕镇")]
    [InlineData("", "")]
    public void Text_that_a_spreadsheet_would_run_is_neutralised(string text, string expected) =>
        Assert.Equal(expected, SpreadsheetText.Safe(text));
}
