using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Rollups.Rendering;
using UglyToad.PdfPig;

namespace Pipeline.Reporting.Tests.Rollups;

using static Pipeline.Reporting.Tests.Rollups.RollupFixtures;

/// <summary>
/// The rendered files read back as their readers would: the PDF's text through a PDF text extractor (PdfPig), the
/// workbook through the OpenXML SDK. Set <c>ROLLUP_SAMPLES=/some/folder</c> to keep the files for a look.
/// </summary>
public sealed class RollupFileTests
{
    private static readonly DateOnly Date = new(2026, 11, 26);

    private static readonly PdfFontLocator Fonts = new(new ConfigurationBuilder().Build(), NullLogger<PdfFontLocator>.Instance);

    private static RollupDocument Prefecture(bool provisional = false) =>
        Builder().Compose(Day(Date, Busy(), notes: "=HYPERLINK(\"x\") 发现 1 例发热，已转诊"), Day(Date.AddDays(-1), Busy(3)),
            new Dictionary<string, decimal>(), provisional) with { Revision = 2, GeneratedAt = new DateTimeOffset(2026, 11, 26, 16, 30, 0, TimeSpan.Zero) };

    private static RollupDocument County(string code)
    {
        var county = Units.Find(code)!;
        return Builder().Compose(Day(Date, Busy()).Within(county), Day(Date.AddDays(-1), Busy(3)).Within(county),
            new Dictionary<string, decimal>()) with { Revision = 1, GeneratedAt = new DateTimeOffset(2026, 11, 26, 16, 30, 0, TimeSpan.Zero) };
    }

    private static void Keep(string name, byte[] content)
    {
        if (Environment.GetEnvironmentVariable("ROLLUP_SAMPLES") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, name), content);
        }
    }

    private static string PdfText(byte[] pdf, out int pages)
    {
        using var document = PdfDocument.Open(pdf);
        pages = document.NumberOfPages;
        return string.Concat(document.GetPages().Select(p => p.Text));
    }

    [Fact]
    public void Times_in_the_files_are_printed_in_the_configured_reporting_time_zone()
    {
        var generated = Prefecture();   // generated 2026-11-26 16:30 UTC
        Assert.Contains("2026-11-27 00:30", Layout.Subtitle(generated));                      // Asia/Shanghai, UTC+8
        Assert.Contains("2026-11-26 22:30", LayoutIn("Asia/Urumqi").Subtitle(generated));     // UTC+6: no offset is built in
    }

    [Fact]
    public void The_prefecture_pdf_is_one_page_of_searchable_text_in_an_embedded_font_subset()
    {
        Assert.True(Fonts.Path is not null, "no Chinese font installed: apt-get install fonts-wqy-microhei");
        var rollup = Prefecture();
        var previous = rollup with { Revision = 1, Units = rollup.Units.Select(u => u.Code == "623024100" ? u with { Values = new Dictionary<string, decimal> { ["returnees"] = 1 } } : u).ToList() };
        rollup = rollup with { RevisionChanges = RollupService.Compare(previous, rollup) };

        var pdf = new PdfRollupRenderer(Layout, Catalogue, Fonts, Buffers).Render(rollup).Content;
        Keep("prefecture.pdf", pdf);

        var text = PdfText(pdf, out var pages);
        Assert.Equal(1, pages);
        Assert.Contains("甘南藏族自治州疫情防控工作日报", text);
        Assert.Contains("2026年11月26日", text);
        Assert.All(Units.Counties, c => Assert.Contains(c.NameZh, text));
        Assert.Contains("新增确诊病例", text);
        Assert.Contains("新增疑似病例", text);
        Assert.Contains(RollupTables.Grouped(rollup.Totals["confirmedCases"]), text);
        Assert.Contains(RollupTables.Grouped(rollup.Totals["personsChecked"]), text);
        Assert.Contains("与第 1 版", text);
        // A missing unit under its county's name.
        var missing = rollup.Completeness.Missing.First(m => m.CountyCode == "623024");
        Assert.Contains("迭部县（", text);
        Assert.Contains(missing.Name, text);
        // The font travels with the file, as a subset (a tagged name, and far smaller than the 5 MB font).
        var raw = Encoding.Latin1.GetString(pdf);
        Assert.Contains("/FontFile2", raw);
        Assert.Matches(@"/BaseFont\s*/[A-Z]{6}\+", raw);
        Assert.True(pdf.Length < 400_000, $"{pdf.Length} bytes");
    }

    [Fact]
    public void A_county_pdf_has_its_townships_on_the_first_page_and_their_chart_on_the_second()
    {
        Assert.True(Fonts.Path is not null, "no Chinese font installed: apt-get install fonts-wqy-microhei");
        // Zhouqu has the most townships (19): its table leaves too little room for a chart with a name under every bar.
        var rollup = County("623023");
        var pdf = new PdfRollupRenderer(Layout, Catalogue, Fonts, Buffers).Render(rollup).Content;
        Keep("county-623023.pdf", pdf);

        using var document = PdfDocument.Open(pdf);
        Assert.Equal(2, document.NumberOfPages);
        var (first, second) = (document.GetPage(1).Text, document.GetPage(2).Text);
        Assert.Contains("舟曲县疫情防控工作日报", first);
        Assert.All(Units.TownshipsWithin("623023"), t => Assert.Contains(t.NameZh, first));
        Assert.Contains("舟曲县疫情防控工作日报（续）", second);
        Assert.Contains("重点指标（舟曲县", second);
        Assert.All(Units.TownshipsWithin("623023"), t => Assert.Contains(t.NameZh, second));
        Assert.DoesNotContain("合作市", first + second);
    }

    [Fact]
    public void A_provisional_rollup_says_so_in_every_file()
    {
        var rollup = Prefecture(provisional: true);
        var marker = Layout.Text("rollup.provisional");
        Assert.True(System.Text.Json.JsonDocument.Parse(new JsonRollupRenderer().Render(rollup).Content).RootElement.GetProperty("provisional").GetBoolean());
        using (var workbook = SpreadsheetDocument.Open(new MemoryStream(new XlsxRollupRenderer(Layout, Buffers).Render(rollup).Content), false))
        {
            Assert.All(Sheets(workbook), s => Assert.Contains(marker, TitleCells(s.Part)));
        }

        Assert.Contains(marker, Encoding.UTF8.GetString(new CsvRollupRenderer(Layout, Buffers).Render(rollup).Content));
        if (Fonts.Path is not null)
        {
            Assert.Contains(marker, PdfText(new PdfRollupRenderer(Layout, Catalogue, Fonts, Buffers).Render(rollup).Content, out _));
        }

        Assert.DoesNotContain(marker, TitleCellsOf(Prefecture(provisional: false)));
    }

    private static string TitleCellsOf(RollupDocument rollup)
    {
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(new XlsxRollupRenderer(Layout, Buffers).Render(rollup).Content), false);
        return TitleCells(Sheets(workbook)[0].Part);
    }

    [Fact]
    public void The_workbook_prints_a4_landscape_one_page_wide_with_title_blocks_print_titles_frozen_panes_and_notes()
    {
        var rollup = Prefecture();
        var xlsx = new XlsxRollupRenderer(Layout, Buffers).Render(rollup).Content;
        Keep("prefecture.xlsx", xlsx);
        Keep("county-623024.xlsx", new XlsxRollupRenderer(Layout, Buffers).Render(County("623024")).Content);

        using var workbook = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var sheets = Sheets(workbook);
        Assert.Equal(["汇总", "乡镇明细", "未报送", "版本变化", "乡镇全部指标"], sheets.Select(s => s.Name));
        var printTitles = workbook.WorkbookPart!.Workbook.DefinedNames!.Elements<DefinedName>().ToList();
        for (var i = 0; i < sheets.Count; i++)
        {
            var (name, part) = sheets[i];
            var worksheet = part.Worksheet;
            var title = TitleCells(part);
            Assert.Contains("甘南藏族自治州疫情防控工作日报", title);
            Assert.Contains("2026年11月26日", title);
            Assert.Contains("第 2 版", title);
            Assert.Contains("生成于 2026-11-27 00:30", title);
            Assert.Contains(Layout.CompletenessLine(rollup.Completeness), title);

            var setup = worksheet.GetFirstChild<PageSetup>()!;
            Assert.Equal(9u, setup.PaperSize!.Value);
            Assert.Equal(OrientationValues.Landscape, setup.Orientation!.Value);
            Assert.Equal(1u, setup.FitToWidth!.Value);
            Assert.True(worksheet.GetFirstChild<SheetProperties>()!.PageSetupProperties!.FitToPage!.Value);
            var header = HeaderRow(part);
            var titles = printTitles.Single(d => d.Name == "_xlnm.Print_Titles" && d.LocalSheetId!.Value == i);
            Assert.Equal($"'{name}'!${header}:${header}", titles.Text);
            var pane = worksheet.Descendants<Pane>().Single();
            Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
            Assert.Equal(header, (int)pane.VerticalSplit!.Value);
        }

        // The summary fits one page tall as well.
        Assert.Equal(1u, sheets[0].Part.Worksheet.GetFirstChild<PageSetup>()!.FitToHeight!.Value);
        var summary = Rows(sheets[0].Part);
        var confirmed = summary.Single(r => r.Count > 1 && r[1] == "新增确诊病例");
        Assert.Equal("37", confirmed[2 + Units.Counties.Count]);

        // Townships: the key indicators, notes (neutralised), the reporter's name and phone; every indicator on the last sheet.
        foreach (var (sheet, indicators) in new[] { (sheets[1].Part, Catalogue.KeyIndicators.Count), (sheets[4].Part, Catalogue.Indicators.Count) })
        {
            var units = Rows(sheet);
            var headerCells = units[HeaderRow(sheet) - 1];
            Assert.Equal(6 + indicators + 4, headerCells.Count);
            Assert.Equal(["备注", "填报人", "联系电话"], headerCells.TakeLast(3));
            var diebu = units.Single(r => r.Count > 0 && r[0] == "623024100");
            Assert.Equal(["'=HYPERLINK(\"x\") 发现 1 例发热，已转诊", "张三", "13800000000"], diebu.TakeLast(3));
        }

        Assert.Contains("新增确诊病例", Rows(sheets[1].Part)[HeaderRow(sheets[1].Part) - 1]);

        // Missing units grouped by county: a heading per county, then its units.
        var missing = Rows(sheets[2].Part).Skip(HeaderRow(sheets[2].Part)).Where(r => r.Count > 0).ToList();
        Assert.StartsWith("合作市（", missing[0][1]);
        var groups = missing.Where(r => r[1].Contains('（')).Select(r => r[0]).ToList();
        Assert.Equal(groups.Order(), groups);
        Assert.Equal(rollup.Completeness.Missing.Count, missing.Count - groups.Count);
    }

    private static List<(string Name, WorksheetPart Part)> Sheets(SpreadsheetDocument workbook) =>
        workbook.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>()
            .Select(s => (s.Name!.Value!, (WorksheetPart)workbook.WorkbookPart.GetPartById(s.Id!))).ToList();

    /// <summary>Every row by its number (index 0 is row 1; rows not written are empty), cells in place.</summary>
    private static List<List<string>> Rows(WorksheetPart part)
    {
        var rows = new List<List<string>>();
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            while (rows.Count < row.RowIndex!.Value - 1)
            {
                rows.Add([]);
            }

            rows.Add(row.Elements<Cell>().Select(c => c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText : c.CellValue?.Text ?? "").ToList());
        }

        return rows;
    }

    /// <summary>The text of the rows above the header.</summary>
    private static string TitleCells(WorksheetPart part) =>
        string.Join("\n", Rows(part).Take(HeaderRow(part) - 1).SelectMany(r => r));

    /// <summary>The 1-based row the pane is frozen under: the header.</summary>
    private static int HeaderRow(WorksheetPart part) => (int)part.Worksheet.Descendants<Pane>().Single().VerticalSplit!.Value;
}
