using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Reporting.Rollups.Rendering;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Pipeline.Reporting.Tests.Rollups.Rendering;

using static Pipeline.Reporting.Tests.Rollups.RollupFixtures;

/// <summary>The printable page read back as text with a PDF text extractor (PdfPig), as a search or a copy would read it.</summary>
public sealed class PdfRollupRendererTests
{
    private static readonly PdfFontLocator Fonts = new(new ConfigurationBuilder().Build(), NullLogger<PdfFontLocator>.Instance);

    private static string Render(out int pages)
    {
        Assert.True(Fonts.Path is not null, "no Chinese font installed: apt-get install fonts-wqy-microhei");
        var file = new PdfRollupRenderer(Layout, Catalogue, Fonts, Buffers).Render(SmallRollup.Document());
        Assert.Equal("application/pdf", file.ContentType);
        using var document = PdfDocument.Open(file.Content);
        pages = document.NumberOfPages;
        return string.Concat(document.GetPages().Select(p => p.Text));
    }

    [Fact]
    public void The_page_has_the_title_date_revision_and_completeness_of_the_rollup()
    {
        var text = Render(out var pages);

        Assert.Equal(1, pages);
        Assert.Contains("迭部县疫情防控工作日报", text);
        Assert.Contains("2026年11月26日", text);
        Assert.Contains("第 1 版", text);
        Assert.Contains("应报 11 个单位，已报 2 个（按时 2，迟报 0），未报 9 个", text);
    }

    [Fact]
    public void The_table_has_the_key_indicator_labels_of_the_catalogue_every_township_and_the_figures()
    {
        var text = Render(out _);

        Assert.All(Catalogue.KeyIndicators.Select(k => Catalogue[k].LabelZh), label => Assert.Contains(label, text));
        Assert.All(Units.TownshipsWithin(SmallRollup.County), t => Assert.Contains(t.NameZh, text));
        Assert.Contains("迭部县合计", text);
        Assert.Contains("较前日增减", text);
        Assert.Contains("+2", text); // the like-for-like change of returnees, signed
        Assert.Contains("迭部县（9 个）：", text); // the missing townships under their county
    }

    [Fact]
    public void A_county_of_more_townships_than_the_page_holds_shows_the_ones_that_fit_counts_the_rest_and_keeps_its_totals_on_the_page()
    {
        Assert.True(Fonts.Path is not null, "no Chinese font installed: apt-get install fonts-wqy-microhei");
        var small = SmallRollup.Document();
        var townships = Enumerable.Range(1, 300).Select(i => new Pipeline.Reporting.Rollups.UnitRollup(
            $"623024{i:D3}", $"测试乡{i}", SmallRollup.County, true, false, 1, new Dictionary<string, decimal> { ["returnees"] = i }, [])).ToList();
        var large = small with { Units = townships };

        var file = new PdfRollupRenderer(Layout, Catalogue, Fonts, Buffers).Render(large);

        using var document = PdfDocument.Open(file.Content);
        // The table fills the first page; the chart, which has no room under it, is on the second.
        Assert.Equal(2, document.NumberOfPages);
        Assert.All(document.GetPages(), p => Assert.All(p.Letters, letter => Assert.InRange(letter.BoundingBox.Bottom, 0, p.Height)));
        var page = document.GetPage(1);
        Assert.Contains("重点指标（", document.GetPage(2).Text);
        var text = page.Text;
        Assert.Contains("测试乡1", text);
        Assert.DoesNotContain("测试乡300", text);
        Assert.Matches(@"另有 \d+ 个乡镇（街道）未列出", text);
        Assert.Contains("迭部县合计", text);
        Assert.Contains("迭部县累计", text);
    }

    [Fact]
    public void On_a_poor_day_every_missing_township_of_every_county_is_listed_in_full()
    {
        // One township in five reported: about 80 missing in all eight counties, 合作市's nine among them.
        var reported = Busy().Where((_, i) => i % 5 == 0).ToDictionary();
        var rollup = Builder().Compose(Day(SmallRollup.Date, reported), Day(SmallRollup.Date.AddDays(-1), None), new Dictionary<string, decimal>())
            with { Revision = 1, GeneratedAt = new DateTimeOffset(2026, 11, 26, 16, 30, 0, TimeSpan.Zero) };

        var text = BeforeChart(RenderPages(rollup));

        var byCounty = Layout.MissingByCounty(rollup);
        Assert.Equal(8, byCounty.Count);
        Assert.All(byCounty, county => Assert.Contains($"{county.County}（{county.Count} 个）：{string.Join("、", county.Names)}", text));
    }

    [Fact]
    public void A_countys_missing_townships_that_fill_the_page_go_on_over_the_next_one()
    {
        var large = LargeRollup.Of(1, 300);
        var county = large.FirstCounty;
        var silent = county with
        {
            Completeness = county.Completeness with
            {
                Missing = [.. county.Units.Select(u => new Pipeline.Reporting.Rollups.MissingUnit(u.Code, u.Name, u.CountyCode))],
            },
        };

        var text = BeforeChart(RenderPages(silent, large.Layout));

        Assert.Contains("合成县1（300 个）：", text);
        // 合成乡1-1 is not found in 合成乡1-10.
        Assert.All(silent.Units, u => Assert.Matches(Regex.Escape(u.Name) + "(?![0-9])", text));
    }

    [Fact]
    public void A_countys_chart_names_every_township_under_its_bar()
    {
        const string Zhouqu = "623023"; // 19 townships
        var rollup = Builder().Compose(Day(SmallRollup.Date, Busy()).Within(Units.Find(Zhouqu)!), Day(SmallRollup.Date.AddDays(-1), None).Within(Units.Find(Zhouqu)!),
                new Dictionary<string, decimal>())
            with { Revision = 1, GeneratedAt = new DateTimeOffset(2026, 11, 26, 16, 30, 0, TimeSpan.Zero) };

        var chart = Chart(RenderPages(rollup));

        Assert.Equal(19, rollup.Units.Count);
        Assert.All(rollup.Units, u => Assert.Contains(u.Name, chart));
        // The values of a panel above its bars: the first township's persons checked.
        Assert.Contains(RollupTables.Grouped(rollup.Units[0].Values["personsChecked"]), chart);
    }

    [Fact]
    public void A_countys_chart_turns_the_page_once_a_panel_for_its_upright_names_and_values_not_once_a_label()
    {
        const string Zhouqu = "623023"; // 19 townships: names and values upright under and over their bars
        var rollup = Builder().Compose(Day(SmallRollup.Date, Busy()).Within(Units.Find(Zhouqu)!), Day(SmallRollup.Date.AddDays(-1), None).Within(Units.Find(Zhouqu)!),
                new Dictionary<string, decimal>())
            with { Revision = 1, GeneratedAt = new DateTimeOffset(2026, 11, 26, 16, 30, 0, TimeSpan.Zero) };
        Assert.True(Fonts.Path is not null, "no Chinese font installed: apt-get install fonts-wqy-microhei");

        var file = new PdfRollupRenderer(Layout, Catalogue, Fonts, Buffers).Render(rollup);
        using var document = PdfDocument.Open(file.Content);
        var chartPage = document.GetPages().Single(p => p.Text.Contains(ChartTitle));

        // Every name and value reads upward, as before: letters turned a quarter, none lost.
        var turned = chartPage.Letters.Where(l => l.TextOrientation is TextOrientation.Rotate90 or TextOrientation.Rotate270).ToList();
        Assert.All(rollup.Units, u => Assert.Contains(u.Name, string.Concat(turned.Select(l => l.Value))));
        // A saved graphics state is a copy of the whole state in PDFsharp (12% of the build's CPU at 10,000 units when it
        // was saved and restored around each upright label: 170 on this chart): one turn per panel, eight panels.
        var saves = chartPage.Operations.Count(o => o is UglyToad.PdfPig.Graphics.Operations.SpecialGraphicsState.Push);
        Assert.True(saves <= 3 * 8, $"{saves} graphics states saved on the chart's page");
    }

    /// <summary>Every page's text, each letter checked to be on its page.</summary>
    private static string RenderPages(Pipeline.Reporting.Rollups.RollupDocument rollup, RollupTables? layout = null)
    {
        Assert.True(Fonts.Path is not null, "no Chinese font installed: apt-get install fonts-wqy-microhei");
        var file = new PdfRollupRenderer(layout ?? Layout, Catalogue, Fonts, Buffers).Render(rollup);
        using var document = PdfDocument.Open(file.Content);
        Assert.All(document.GetPages(), page => Assert.All(page.Letters, letter =>
        {
            Assert.InRange(letter.BoundingBox.Bottom, 0, page.Height);
            Assert.InRange(letter.BoundingBox.Left, 0, page.Width);
        }));
        return string.Concat(document.GetPages().Select(p => p.Text));
    }

    private const string ChartTitle = "重点指标（";

    private static string BeforeChart(string text) => text.Contains(ChartTitle) ? text[..text.IndexOf(ChartTitle, StringComparison.Ordinal)] : text;

    private static string Chart(string text)
    {
        Assert.Contains(ChartTitle, text);
        return text[text.IndexOf(ChartTitle, StringComparison.Ordinal)..];
    }

    [Fact]
    public void The_embedded_font_is_cut_to_the_pages_characters_and_a_name_outside_the_registry_still_prints()
    {
        Assert.True(Fonts.Path is not null, "no Chinese font installed: apt-get install fonts-wqy-microhei");
        var small = SmallRollup.Document();
        // A township renamed after the registry was loaded: characters the registry's names do not have.
        var renamed = small with { Units = [.. small.Units.Select(u => u.Code == SmallRollup.Reporting ? u with { Name = "犇鑫镇" } : u)] };

        var typical = new PdfRollupRenderer(Layout, Catalogue, Fonts, Buffers).Render(small).Content;
        var unusual = new PdfRollupRenderer(Layout, Catalogue, Fonts, Buffers).Render(renamed).Content;

        // The font program's own length (Length1): the PDF writer's subset keeps an index and metrics entry for every glyph
        // of the font it is given (the whole CJK font: about 400 KB per document).
        var fontPrograms = Regex.Matches(Encoding.Latin1.GetString(typical), @"/Length1 (\d+)").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        var program = Assert.Single(fontPrograms);
        Assert.True(program < 60_000, $"font program of {program:N0} bytes");
        using var document = PdfDocument.Open(unusual);
        Assert.Contains("犇鑫镇", document.GetPage(1).Text);
    }

    [Fact]
    public void The_fonts_characters_are_each_character_once_in_order_found_without_copying_every_name()
    {
        // The files' vocabulary at 100,000 units: every unit's name, each a few Chinese characters and digits.
        var names = Enumerable.Range(0, 100_000).Select(i => $"合成乡{i / 1000}-{i % 1000}").Append("𝟘 a\uFFFF").ToList();
        var expected = new string([.. new SortedSet<char>(names.SelectMany(n => n))]);
        PdfFontLocator.DistinctCharacters(["warm"]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var characters = PdfFontLocator.DistinctCharacters(names);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(expected, characters);
        // A flag per UTF-16 code unit (64 KB) and the string. A sorted set of the names' characters copied them all into
        // one array grown by doubling (about 2 MB here) before sorting it.
        Assert.InRange(allocated, 0, 70_000);
    }

    [Fact]
    public void A_countys_page_makes_only_the_table_rows_it_draws()
    {
        Assert.True(Fonts.Path is not null, "no Chinese font installed: apt-get install fonts-wqy-microhei");
        // The page prints a few dozen of a county's townships and a line counting the rest: what each further township
        // costs is its part of the missing units' line, not a table row made and copied for a page that has no room for it.
        var perTownship = LargeRollup.AllocatedPerUnit(LargeRollup.Of(1, 1000), LargeRollup.Of(1, 2000),
            large => new PdfRollupRenderer(large.Layout, Catalogue, Fonts, Buffers), large => large.FirstCounty);

        Assert.InRange(perTownship, 0, 250);
    }
}
