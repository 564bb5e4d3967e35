using Microsoft.Extensions.Configuration;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Rollups.Rendering;
using Pipeline.Reporting.Units;

namespace Pipeline.Tests.Rollups;

public sealed class RollupUnitTests
{
    private static readonly UnitRegistry Units = UnitRegistry.LoadEmbedded();
    private static readonly IndicatorCatalogue Catalogue = IndicatorCatalogue.LoadEmbedded();

    [Fact]
    public void Compose_adds_cumulative_for_flows_and_money_only_and_changes_only_where_both_days_reported()
    {
        var builder = new RollupBuilder(null!, null!, Units, Catalogue);
        var day = new DayReading(new DateOnly(2026, 11, 26), Units.Root, new Completeness(102, 2, 1, 1, []),
            new Dictionary<string, decimal> { ["returnees"] = 10, ["homeQuarantine"] = 6, ["centralQuarantine"] = 0 }, [], []);
        var previous = new Dictionary<string, decimal> { ["returnees"] = 15, ["homeQuarantine"] = 8, ["donatedCashYuan"] = 5 };
        var before = new Dictionary<string, decimal> { ["returnees"] = 100, ["donatedCashYuan"] = 5.5m, ["feverReferred"] = 2 };

        var rollup = builder.Compose(day, previous, before);

        Assert.Equal("2026-11-26", rollup.Date);
        Assert.Equal(new Dictionary<string, decimal> { ["returnees"] = 110, ["feverReferred"] = 2, ["donatedCashYuan"] = 5.5m }, rollup.Cumulative);
        Assert.Equal(new Dictionary<string, decimal> { ["returnees"] = -5, ["homeQuarantine"] = -2 }, rollup.Changes);
        Assert.Equal(0, rollup.Totals["centralQuarantine"]);
        Assert.False(rollup.Totals.ContainsKey("fromWuhan"));
    }

    [Fact]
    public void The_content_hash_ignores_revision_and_generation_time_only()
    {
        var builder = new RollupBuilder(null!, null!, Units, Catalogue);
        var day = new DayReading(new DateOnly(2026, 11, 26), Units.Root, new Completeness(102, 0, 0, 0, []),
            new Dictionary<string, decimal> { ["returnees"] = 1 }, [], []);
        var rollup = builder.Compose(day, new Dictionary<string, decimal>(), new Dictionary<string, decimal>());
        Assert.Equal(RollupService.Hash(rollup), RollupService.Hash(rollup with { Revision = 3, GeneratedAt = DateTimeOffset.UnixEpoch }));
        Assert.NotEqual(RollupService.Hash(rollup), RollupService.Hash(rollup with { Totals = new Dictionary<string, decimal> { ["returnees"] = 0 } }));
    }

    [Fact]
    public void The_pdf_is_made_without_a_chinese_font_too()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:PdfFont"] = "none" }).Build();
        var fonts = new PdfFontLocator(configuration, Microsoft.Extensions.Logging.Abstractions.NullLogger<PdfFontLocator>.Instance);
        var tables = new RollupTables(Catalogue, Units, Pipeline.Reporting.Validation.Messages.LoadEmbedded());
        var builder = new RollupBuilder(null!, null!, Units, Catalogue);
        var day = new DayReading(new DateOnly(2026, 11, 26), Units.Root, new Completeness(102, 0, 0, 0, []),
            new Dictionary<string, decimal> { ["returnees"] = 1 }, [], []);
        var rollup = builder.Compose(day, new Dictionary<string, decimal>(), new Dictionary<string, decimal>()) with { Revision = 1 };

        var pdf = new PdfRollupRenderer(tables, Catalogue, fonts).Render(rollup);

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
