using System.Globalization;
using System.IO.Compression;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Rollups.Rendering;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Tests.Rollups.Rendering;

using static Pipeline.Reporting.Tests.Rollups.RollupFixtures;

/// <summary>The workbook opened with the OpenXML SDK, as Excel or WPS would open it: its sheets, headers and cells.</summary>
public sealed class XlsxRollupRendererTests
{
    /// <summary>Each sheet by name: its rows in order (row 1 first), each row's cells in place.</summary>
    private static Dictionary<string, List<List<Cell>>> Render(RollupDocument? rollup = null)
    {
        var content = new XlsxRollupRenderer(Layout, Buffers).Render(rollup ?? SmallRollup.Document()).Content;
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(content), false);
        var part = workbook.WorkbookPart!;
        Assert.Equal(["汇总", "乡镇明细", "未报送", "版本变化", "乡镇全部指标"], part.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value));
        return part.Workbook.Sheets!.Elements<Sheet>().ToDictionary(
            s => s.Name!.Value!,
            s => ((WorksheetPart)part.GetPartById(s.Id!)).Worksheet.Descendants<Row>()
                .Select(r => r.Elements<Cell>().Select(c => (Cell)c.CloneNode(true)).ToList()).ToList());
    }

    private static string Text(Cell cell) =>
        cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText : cell.CellValue?.Text ?? "";

    /// <summary>The rows under the header: the header is the first row whose first cell is the given label.</summary>
    private static (List<string> Header, List<List<Cell>> Rows) Table(List<List<Cell>> sheet, string firstHeader)
    {
        var at = sheet.FindIndex(r => r.Count > 0 && Text(r[0]) == firstHeader);
        Assert.True(at >= 0, $"no header row starting {firstHeader}");
        return (sheet[at].Select(Text).ToList(), sheet.Skip(at + 1).ToList());
    }

    [Fact]
    public async Task A_workbook_written_with_its_units_measured_county_by_county_is_the_workbook_measured_whole()
    {
        // A prefecture of several counties, with a long note, a warning and a decimal, whose widest cells lie in different counties.
        var busy = Busy();
        busy[busy.Keys.First()]["donatedCashYuan"] = 1234567.25m;
        var today = Day(SmallRollup.Date, busy, notes: "发现 1 例发热，已转诊至县医院隔离观察，家属已居家隔离");
        today = today with
        {
            Units = [.. today.Units.Select((u, i) => i == 4 ? u with { Warnings = [new ReportWarning("returnees", SoftRules.Outlier, 40, 4)] } : u)],
        };
        var rollup = Builder().Compose(today, Day(SmallRollup.Date.AddDays(-1), Busy(3)), new Dictionary<string, decimal>())
            with { Revision = 1, GeneratedAt = new DateTimeOffset(2026, 11, 26, 16, 30, 0, TimeSpan.Zero) };
        var renderer = new XlsxRollupRenderer(Layout, Buffers);
        var counties = rollup.Units.GroupBy(u => u.CountyCode).ToList();
        Assert.True(counties.Count > 2);

        var measure = renderer.Measure(rollup with { Units = [], Counties = [] });
        foreach (var county in counties)
        {
            measure.Add([.. county]);
        }

        using var measured = new MemoryStream();
        await renderer.WriteAsync(rollup, measure, measured, CancellationToken.None);

        // Every part unzipped, the same (the zip's own bytes hold times of writing).
        Assert.Equal(Parts(renderer.Render(rollup).Content), Parts(measured.ToArray()));
    }

    [Fact]
    public void The_unit_sheets_have_the_catalogue_labels_as_headers_every_indicator_or_the_key_ones()
    {
        var sheets = Render();
        string[] before = ["代码", "乡镇（街道）", "县（市）", "已报", "迟报", "版本"];
        string[] after = ["提示", "备注", "填报人", "联系电话"];

        Assert.Equal([.. before, .. SmallRollup.IndicatorLabels, .. after], Table(sheets["乡镇全部指标"], "代码").Header);
        Assert.Equal([.. before, .. Catalogue.KeyIndicators.Select(k => Catalogue[k].LabelZh), .. after], Table(sheets["乡镇明细"], "代码").Header);
    }

    [Fact]
    public void The_summary_has_a_row_per_indicator_in_catalogue_order_and_a_column_per_township()
    {
        var (header, rows) = Table(Render()["汇总"], "类别");
        var townships = Units.TownshipsWithin(SmallRollup.County).OrderBy(t => t.Code, StringComparer.Ordinal).Select(t => t.NameZh);

        Assert.Equal(["类别", "指标", .. townships, "迭部县合计", "较前日增减", "比较单位数", "迭部县累计"], header);
        Assert.Equal(["应报", "已报", "按时", "迟报", "未报", .. SmallRollup.IndicatorLabels], rows.Select(r => Text(r[1])));
        var returnees = rows.Single(r => Text(r[1]) == "返乡人员");
        Assert.Equal(["19", "2", "1", "119"], returnees.TakeLast(4).Select(Text));
    }

    [Fact]
    public void Figures_are_number_cells_and_what_was_not_reported_is_an_empty_cell_never_zero()
    {
        var (header, rows) = Table(Render()["乡镇全部指标"], "代码");
        var returnees = header.IndexOf("返乡人员");
        var cash = header.IndexOf("捐款（元）");
        var reporting = rows.Single(r => Text(r[0]) == SmallRollup.Reporting);
        var silent = rows.Single(r => Text(r[0]) == SmallRollup.Silent);

        Assert.Equal(CellValues.Number, reporting[returnees].DataType!.Value);
        Assert.Equal("12", Text(reporting[returnees]));
        Assert.Equal(CellValues.Number, reporting[cash].DataType!.Value);
        Assert.Equal("100.5", Text(reporting[cash]));
        Assert.Equal("", Text(reporting[header.IndexOf("居家隔离人员")]));
        Assert.Equal(["迭部县", "否"], silent.Skip(2).Take(2).Select(Text));
        Assert.All(silent.Skip(6).Take(SmallRollup.IndicatorLabels.Count), c => Assert.Equal("", Text(c)));
    }

    [Fact]
    public void The_missing_sheet_lists_the_nine_silent_townships_under_their_county()
    {
        var (_, rows) = Table(Render()["未报送"], "代码");
        var named = rows.Where(r => r.Count > 1).ToList();

        Assert.StartsWith("迭部县（9 个）", Text(named[0][1]));
        Assert.Equal(Units.TownshipsWithin(SmallRollup.County).Select(t => t.Code).Where(c => c is not SmallRollup.Reporting and not SmallRollup.AlsoReporting)
            .Order(StringComparer.Ordinal), named.Skip(1).Select(r => Text(r[0])));
    }

    [Fact]
    public void A_note_reads_back_as_written_markup_and_all_and_a_character_xml_cannot_hold_is_left_out()
    {
        // A phone's note: markup characters, a Windows line break, an emoji, and a control character pasted in with it.
        const string Note = "体温<37.3 & 无>症状\r\n复查 😷\u0001完";
        var rollup = SmallRollup.Document();
        rollup = rollup with { Units = [.. rollup.Units.Select(u => u.Code == SmallRollup.Reporting ? u with { Notes = Note } : u)] };

        var (header, rows) = Table(Render(rollup)["乡镇全部指标"], "代码");

        var reporting = rows.Single(r => Text(r[0]) == SmallRollup.Reporting);
        Assert.Equal("体温<37.3 & 无>症状\n复查 😷完", Text(reporting[header.IndexOf("备注")]));
    }

    [Fact]
    public void Compact_values_as_read_from_storage_give_the_workbook_that_dictionaries_of_the_same_values_give()
    {
        var large = LargeRollup.Of(3, 40);
        var compact = large.Document;
        var dictionaries = compact with
        {
            Units = [.. compact.Units.Select(u => u with { Values = u.Values.ToDictionary(v => v.Key, v => v.Value) })],
            Counties = [.. compact.Counties.Select(c => c with { Totals = c.Totals.ToDictionary(v => v.Key, v => v.Value) })],
        };
        Assert.IsType<UnitValues>(compact.Units[0].Values);

        var renderer = new XlsxRollupRenderer(large.Layout, Buffers);

        // Every part unzipped, byte for byte: cells, styles, widths (the columns) and print set-up.
        Assert.Equal(Parts(renderer.Render(dictionaries).Content), Parts(renderer.Render(compact).Content));
    }

    [Fact]
    public void A_large_areas_unit_sheets_are_written_without_an_array_of_cells_per_row()
    {
        // What each further unit costs (the workbook's own set-up cancels out): its two unit sheets' rows and the measuring
        // of their widths, about 1.3 KB when each row was an array of boxed cells made once to measure and once to write,
        // per sheet; now its text, numbers and the file's bytes.
        var perUnit = LargeRollup.AllocatedPerUnit(LargeRollup.Of(4, 500), LargeRollup.Of(4, 1000),
            large => new XlsxRollupRenderer(large.Layout, Buffers), large => large.Document);

        Assert.InRange(perUnit, 0, 400);
    }

    private static List<(string Name, string Xml)> Parts(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        return [.. zip.Entries.Select(e =>
        {
            using var part = e.Open();
            return (e.FullName, new StreamReader(part).ReadToEnd());
        })];
    }

    [Fact]
    public void Every_number_reads_back_as_written_and_its_column_is_as_wide_as_its_grouped_text()
    {
        decimal[] figures = [0, -0m, 7, -5, 999, 1000, 99_999, 1_234_567, uint.MaxValue, uint.MaxValue + 1m, -4_294_967_295, 12.50m, -12.5m, 0.05m,
            1_000_000.25m, 123_456_789_012_345m, 79_228_162_514_264_337_593_543_950_335m];
        var rollup = SmallRollup.Document();
        var keys = Catalogue.Indicators.Select(i => i.Key).Where(k => k != "returnees").Take(figures.Length).ToList();
        var values = keys.Select((k, i) => (k, figures[i])).ToDictionary(p => p.k, p => p.Item2);
        rollup = rollup with { Units = [.. rollup.Units.Select(u => u.Code == SmallRollup.Reporting ? u with { Values = values } : u)] };
        var content = new XlsxRollupRenderer(Layout, Buffers).Render(rollup).Content;
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(content), false);
        var part = workbook.WorkbookPart!;
        var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "乡镇全部指标");
        var worksheet = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet;
        var rows = worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().ToList()).ToList();
        var header = rows.First(r => r.Count > 0 && Text(r[0]) == "代码").Select(Text).ToList();
        var reporting = rows.Single(r => Text(r[0]) == SmallRollup.Reporting);
        var widths = worksheet.Descendants<Column>().Select(c => c.Width!.Value).ToList();

        foreach (var (key, figure) in values)
        {
            var indicator = Catalogue[key];
            var column = header.IndexOf(indicator.LabelZh);
            Assert.Equal(figure.ToString(CultureInfo.InvariantCulture), Text(reporting[column]));
            var headerWidth = Math.Min(indicator.LabelZh.Sum(c => c > 0x2E80 ? 2 : 1), 12);
            Assert.Equal(Math.Clamp(Math.Max(headerWidth, RollupTables.Grouped(figure).Length + 1) + 2, 6, 32), widths[column]);
        }
    }

    [Fact]
    public void A_title_line_wider_than_its_sheet_spans_the_sheets_columns_and_wraps_on_a_row_tall_enough_to_print_it_whole()
    {
        // Printed, a sheet is as wide as its columns: a line running past the last one was cut at the page's edge (the
        // missing sheet's three columns and the line on the previous day's completeness).
        var rollup = SmallRollup.Document();
        var titleLines = Layout.TitleBlock(rollup).Count;
        var content = new XlsxRollupRenderer(Layout, Buffers).Render(rollup).Content;
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(content), false);
        var part = workbook.WorkbookPart!;
        var formats = part.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var wide = 0;
        foreach (var sheet in part.Workbook.Sheets!.Elements<Sheet>())
        {
            var worksheet = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet;
            var columns = worksheet.Descendants<Column>().ToList();
            var sheetWidth = columns.Sum(c => c.Width!.Value);
            var lastColumn = ColumnName(columns.Count);
            var merged = worksheet.Descendants<MergeCell>().Select(m => m.Reference!.Value).ToHashSet();
            foreach (var row in worksheet.Descendants<Row>().Take(titleLines))
            {
                var cell = row.Elements<Cell>().Single();
                var size = part.WorkbookStylesPart.Stylesheet.Fonts!.Elements<Font>().ElementAt((int)(formats[(int)cell.StyleIndex!.Value].FontId?.Value ?? 0))
                    .FontSize!.Val!.Value;
                var width = Text(cell).Sum(c => c > 0x2E80 ? 2 : 1) * size / 11;
                if (width <= sheetWidth)
                {
                    continue;
                }

                wide++;
                Assert.Contains($"A{row.RowIndex}:{lastColumn}{row.RowIndex}", merged);
                Assert.True(formats[(int)cell.StyleIndex.Value].Alignment?.WrapText?.Value, $"{sheet.Name} row {row.RowIndex} does not wrap");
                Assert.True(row.CustomHeight?.Value);
                Assert.True(row.Height!.Value >= 15 * Math.Ceiling(width / sheetWidth) * size / 11, $"{sheet.Name} row {row.RowIndex}: {row.Height.Value} points for {width} of {sheetWidth}");
            }
        }

        Assert.True(wide > 0, "no title line is wider than its sheet: the fixture does not test what it claims");
    }

    [Fact]
    public void Every_font_names_its_typeface_so_that_bold_and_regular_text_print_in_the_same_one()
    {
        // A font without a name is each reader's own choice: LibreOffice printed the bold county rows of the missing sheet in a
        // serif typeface beside the regular rows in a sans one.
        var content = new XlsxRollupRenderer(Layout, Buffers).Render(SmallRollup.Document()).Content;
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(content), false);
        var fonts = workbook.WorkbookPart!.WorkbookStylesPart!.Stylesheet.Fonts!.Elements<Font>().ToList();

        Assert.NotEmpty(fonts);
        Assert.All(fonts, f => Assert.Equal("微软雅黑", f.FontName?.Val?.Value));
    }

    /// <summary>The A1-style name of the 1-based column: A, Z, AA, AN.</summary>
    private static string ColumnName(int column)
    {
        var name = "";
        for (var c = column; c > 0; c = (c - 1) / 26)
        {
            name = (char)('A' + (c - 1) % 26) + name;
        }

        return name;
    }
}
