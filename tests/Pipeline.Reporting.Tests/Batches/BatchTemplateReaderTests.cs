using System.Text;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Tests.Validation;
using Pipeline.Testing;

namespace Pipeline.Reporting.Tests.Batches;

/// <summary>How the batch reader takes a county's template back: rows left as they came are no rows.</summary>
public sealed class BatchTemplateReaderTests
{
    private readonly RuleFixture rules = new();

    private BatchPayloadReader Reader => new(rules.Catalogue);

    private static byte[] Utf8(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];

    [Fact]
    public void Template_rows_with_no_value_and_no_note_are_not_rows_and_the_others_keep_their_line_numbers()
    {
        var csv = Utf8(string.Join("\r\n",
            "单位代码,单位名称,报告日期,返乡人员,其中：武汉,备注,填报人",
            "623024100,电尕镇,2026-11-27,3,,,",   // line 2: filled in
            "623024101,益哇镇,2026-11-27,,,,",    // line 3: left as it came
            "623024102,旺藏镇,2026-11-27,,, ,",   // line 4: a space is nothing either
            "623024103,腊子口镇,2026-11-27,,,无变化,", // line 5: a note alone is a report
            "623024104,洛大镇,2026-11-27,,,,张三",  // line 6: so is a reporter's name
            "623024105,,2026-11-27,,,,,5") + "\r\n"); // line 7: a cell past the header is rejected, not dropped
        Assert.Equal(4, Reader.Check(BatchFormat.Csv, csv).Rows);
        var rows = Reader.ReadRows(BatchFormat.Csv, csv).ToList();
        Assert.Equal([2, 5, 6, 7], rows.Select(r => r.Row));
        Assert.Equal("csvExtraCells", Assert.Single(rows[3].Parsed.Errors).Code);
    }

    [Fact]
    public void The_template_is_read_back_as_its_columns_and_unfilled_it_is_an_empty_batch()
    {
        var scope = rules.Units.Find("623024")!;
        var template = new BatchTemplate(rules.Catalogue, rules.Units).Render(scope, new DateOnly(2026, 11, 27), Pipeline.Reporting.Catalogue.Language.Chinese);
        Assert.Equal(new BatchEnvelope(0, []).Rows, Reader.Check(BatchFormat.Csv, template).Rows);
        Assert.True(Reader.Check(BatchFormat.Csv, template).IsReadable);
        Assert.Equal(11, Encoding.UTF8.GetString(template).Split("\r\n").Length - 2);
    }

    [Fact]
    public void The_county_sample_is_excels_csv_utf8_of_every_township_of_the_county_two_invalid_on_purpose()
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "samples", "batch-623024-county.csv"));
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("单位代码,单位名称,报告日期,返乡人员", text);
        Assert.Equal(text.Split('\n').Length, text.Split("\r\n").Length);
        var envelope = Reader.Check(BatchFormat.Csv, bytes);
        Assert.True(envelope.IsReadable);
        Assert.Equal(11, envelope.Rows);
        var rows = Reader.ReadRows(BatchFormat.Csv, bytes).ToList();
        Assert.Equal(rules.Units.TownshipsWithin("623024").Select(t => t.Code), rows.Select(r => r.Parsed.Input.UnitCode));

        // Dated 2026-11-28 (the README moves it to yesterday); validated here as of the pinned day.
        var invalid = rows.Where(r => !rules.Validation.Validate(r.Parsed.Input with { ReportDate = "2026-11-27" }, backfillAllowed: false).IsValid)
            .Select(r => r.Parsed.Input.UnitCode).ToList();
        Assert.Equal(["623024100", "623024104"], invalid);
    }
}
