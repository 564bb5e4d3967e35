using System.Text;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Rollups.Rendering;

namespace Pipeline.Reporting.Tests.Rollups.Rendering;

using static Pipeline.Reporting.Tests.Rollups.RollupFixtures;

/// <summary>The CSV summary read back with the project's own CSV reader, as Excel and WPS would read it.</summary>
public sealed class CsvRollupRendererTests
{
    /// <summary>The columns before the indicators: code, township, expected, reported, on time, late, missing.</summary>
    private static readonly string[] FixedColumns = ["代码", "乡镇（街道）", "应报", "已报", "按时", "迟报", "未报"];

    private static List<string[]> Records(byte[] csv)
    {
        Assert.Equal([0xEF, 0xBB, 0xBF], csv.Take(3)); // Excel reads UTF-8 Chinese only after a BOM
        var reader = new CsvRecordReader(new StringReader(new UTF8Encoding(false).GetString(csv, 3, csv.Length - 3)));
        var records = new List<string[]>();
        while (reader.Read() is { } record)
        {
            records.Add(record.Cells);
        }

        return records;
    }

    private static List<string[]> Render(bool provisional = false) =>
        Records(new CsvRollupRenderer(Layout, Buffers).Render(SmallRollup.Document(provisional)).Content);

    [Fact]
    public void The_header_is_the_fixed_columns_then_every_indicator_label_of_the_catalogue_then_the_status()
    {
        var header = Render()[0];

        Assert.Equal([.. FixedColumns, .. SmallRollup.IndicatorLabels, "说明"], header);
    }

    [Fact]
    public void A_row_per_township_then_the_county_total_the_change_the_units_it_compares_and_the_cumulative()
    {
        var records = Render();
        var townships = Units.TownshipsWithin(SmallRollup.County);

        Assert.Equal(1 + townships.Count + 4, records.Count);
        Assert.All(records, r => Assert.Equal(records[0].Length, r.Length));
        Assert.Equal(townships.Select(t => t.Code).Order(StringComparer.Ordinal), records.Skip(1).Take(townships.Count).Select(r => r[0]));
        Assert.Equal(["迭部县合计", "较前日增减", "比较单位数", "迭部县累计"], records.TakeLast(4).Select(r => r[1]));
    }

    [Fact]
    public void Reported_figures_are_numbers_as_machines_read_them_and_not_reported_stays_empty_never_zero()
    {
        var records = Render();
        string Cell(string rowName, string key) =>
            records.Single(r => r[0] == rowName || r[1] == rowName)[FixedColumns.Length + SmallRollup.IndicatorColumn(key)];

        Assert.Equal("12", Cell(SmallRollup.Reporting, "returnees"));
        Assert.Equal("3", Cell(SmallRollup.Reporting, "fromEpidemicAreas"));
        Assert.Equal("100.5", Cell(SmallRollup.Reporting, "donatedCashYuan"));
        Assert.Equal("", Cell(SmallRollup.Reporting, "homeQuarantine"));
        Assert.Equal(["11", "2", "2", "0", "9"], records.Single(r => r[1] == "迭部县合计")[2..7]);
        var silent = records.Single(r => r[0] == SmallRollup.Silent);
        Assert.Equal(["1", "0", "0", "0", "1"], silent[2..7]);
        Assert.All(silent[FixedColumns.Length..^1], cell => Assert.Equal("", cell));

        Assert.Equal("19", Cell("迭部县合计", "returnees"));
        Assert.Equal("2", Cell("较前日增减", "returnees"));   // like for like: only 电尕镇 reported both days
        Assert.Equal("1", Cell("比较单位数", "returnees"));
        Assert.Equal("119", Cell("迭部县累计", "returnees")); // 100 before + 19 today
        Assert.Equal("", Cell("较前日增减", "fromEpidemicAreas")); // nobody reported it the day before: no change
    }

    [Fact]
    public void Every_row_says_provisional_when_the_rollup_is_and_no_row_when_it_is_not()
    {
        Assert.All(Render(provisional: true).Skip(1), r => Assert.Equal("【临时】当日截止时间前生成，数据可能不完整", r[^1]));
        Assert.All(Render(provisional: false).Skip(1), r => Assert.Equal("", r[^1]));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("7")]
    [InlineData("-5")]
    [InlineData("1023")]
    [InlineData("1024")]
    [InlineData("-1023")]
    [InlineData("4294967295")]
    [InlineData("4294967296")]
    [InlineData("-4294967295")]
    [InlineData("12.50")]
    [InlineData("-12.5")]
    [InlineData("0.005")]
    [InlineData("25519.00")]
    [InlineData("79228162514264337593543950335")]
    public void A_number_reads_as_its_machine_format_writes_it(string figure)
    {
        var value = decimal.Parse(figure, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), RollupTables.Number(value));
    }
}
