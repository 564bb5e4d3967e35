using System.IO.Compression;
using System.Text;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Catalogue;
using Pipeline.Testing;
using static Pipeline.Testing.ExcelWorkbook;

namespace Pipeline.Reporting.Tests.Batches;

/// <summary>
/// A county's template filled in and saved as .xlsx reads as the same CSV would: the same header rules, the same
/// cell rules, and each row numbered as the sheet numbers it.
/// </summary>
public sealed class XlsxBatchReaderTests
{
    private static readonly string[] Header = ["单位代码", "单位名称", "报告日期", "返乡人员", "疫区流入人员", "其中：湖北", "居家隔离人员", "发热转诊人员", "捐款（元）", "备注"];

    private readonly BatchPayloadReader reader = new(IndicatorCatalogue.LoadEmbedded());

    [Fact]
    public void A_workbook_as_Excel_saves_it_reads_like_the_csv_with_sheet_row_numbers()
    {
        var day = new DateOnly(2026, 11, 27);
        var workbook = Build(
        [
            (1, Header),
            // A unit code Excel turned into a number, a typed date, numbers as numbers, an empty cell (湖北), a formula, rich text.
            (2, [623024100, "电尕镇", new Date(day), 12, 3, null, 4, 0, new Formula("0.1+0.2", 0.30000000000000004), new Rich("两段", "备注")]),
            // Row 3 was deleted in Excel: no row element at all.
            (4, ["623024101", "益哇镇", "2026/11/27", 12.5, 1234, 1, 0, 0, 1500.5, null, new Styled()]),
            // A township left as the template had it: no row of the batch.
            (5, ["623024102", "卡坝乡", "2026-11-27"]),
            (6, ["623024103", "达拉乡", new ChineseDate(day), 7, 2, null, 1, 0]),
        ]);

        Assert.Equal(new BatchEnvelope(3, []), reader.Check(BatchFormat.Xlsx, workbook));
        var rows = reader.ReadRows(BatchFormat.Xlsx, workbook).ToList();
        Assert.Equal([2, 4, 6], rows.Select(r => r.Row));
        Assert.All(rows, r => Assert.Empty(r.Parsed.Errors));

        var first = rows[0].Parsed.Input;
        Assert.Equal("623024100", first.UnitCode);
        Assert.Equal("2026-11-27", first.ReportDate);
        Assert.Equal(12m, first.Values["returnees"].Number);
        Assert.True(first.Values["fromHubei"].IsBlank);
        Assert.Equal(0m, first.Values["feverReferred"].Number);
        Assert.Equal(0.3m, first.Values["donatedCashYuan"].Number);
        Assert.Equal("两段备注", first.Notes);

        var second = rows[1].Parsed.Input;
        Assert.Equal("623024101", second.UnitCode);
        Assert.Equal("2026-11-27", second.ReportDate);
        Assert.Equal(12.5m, second.Values["returnees"].Number);
        Assert.Equal(1234m, second.Values["fromEpidemicAreas"].Number);
        Assert.Equal(1500.5m, second.Values["donatedCashYuan"].Number);
        Assert.Null(second.Notes);

        Assert.Equal("2026-11-27", rows[2].Parsed.Input.ReportDate);
    }

    [Fact]
    public void A_workbook_in_the_1904_date_system_reads_its_dates()
    {
        var workbook = Build([(1, ["unitCode", "reportDate", "returnees"]), (2, ["623024100", new Date(new DateOnly(2026, 11, 27)), 5])], date1904: true);

        Assert.Equal("2026-11-27", reader.ReadRows(BatchFormat.Xlsx, workbook).Single().Parsed.Input.ReportDate);
    }

    [Fact]
    public void The_header_follows_the_csv_rules_keys_and_english_labels_and_the_first_row_with_text()
    {
        var english = Build([(2, ["Unit code", "Unit name", "Report date", "Returnees screened", "notes"]), (3, ["623024100", "x", "2026-11-27", 3, "n"])]);
        var row = reader.ReadRows(BatchFormat.Xlsx, english).Single();
        Assert.Equal(3, row.Row);
        Assert.Equal(3m, row.Parsed.Input.Values["returnees"].Number);

        var unknown = reader.Check(BatchFormat.Xlsx, Build([(1, ["unitCode", "reportDate", "返乡人员", "returnees", "单位"])]));
        Assert.Equal(["csvDuplicateColumn", "csvUnknownColumn"], unknown.Errors.Select(e => e.Code));

        var missing = reader.Check(BatchFormat.Xlsx, Build([(1, ["unitCode", "returnees"])])).Errors.Single();
        Assert.Equal(("header", "xlsxMissingColumn", "reportDate"), (missing.Field, missing.Code, missing.Args[0]));

        Assert.Equal("xlsxEmpty", reader.Check(BatchFormat.Xlsx, Build([(1, [new Styled()])])).Errors.Single().Code);
    }

    [Fact]
    public void A_row_with_text_past_the_header_is_rejected_on_its_own()
    {
        var workbook = Build([(1, ["unitCode", "reportDate", "returnees"]), (2, ["623024100", "2026-11-27", 3, null, "extra"])]);

        Assert.Equal("csvExtraCells", reader.ReadRows(BatchFormat.Xlsx, workbook).Single().Parsed.Errors.Single().Code);
    }

    [Fact]
    public void What_is_not_a_workbook_is_refused_saying_how_to_save_one()
    {
        var csv = Encoding.UTF8.GetBytes("unitCode,reportDate\r\n623024100,2026-11-27\r\n");
        var xls = new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0 }; // the old binary .xls
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            archive.CreateEntry("hello.txt");
        }

        foreach (var body in new[] { csv, xls, zip.ToArray(), [] })
        {
            var error = reader.Check(BatchFormat.Xlsx, body).Errors.Single();
            Assert.Equal(("file", "xlsxUnreadable"), (error.Field, error.Code));
        }
    }

    [Fact]
    public void A_sheet_that_unpacks_past_the_ceiling_is_refused_not_read()
    {
        var rows = Enumerable.Range(2, 5000).Select(r => (r, new object?[] { 623024100, new Date(new DateOnly(2026, 11, 27)), 1 }));
        var workbook = Build([(1, ["unitCode", "reportDate", "returnees"]), .. rows]);

        var error = Assert.Throws<XlsxFormatException>(() =>
        {
            using var sheet = XlsxSheetReader.Open(workbook, maxPartBytes: 100_000);
            return sheet.Rows().Count();
        });
        Assert.Equal("xlsxTooLarge", error.Code);
        Assert.True(workbook.Length < 100_000, "the upload itself is small: it is the unpacked sheet that is too large");
        Assert.Equal(5000, reader.Check(BatchFormat.Xlsx, workbook).Rows); // under the real ceiling it reads
    }

    /// <summary>
    /// samples/batch-623024-county.xlsx is samples/batch-623024-county.csv converted by LibreOffice
    /// (<c>libreoffice --headless --convert-to xlsx</c>): shared strings, the codes as numbers, the dates as date
    /// serials in its <c>yyyy\-mm\-dd</c> format. A real tool's file reads as the CSV it came from, row for row.
    /// </summary>
    [Fact]
    public void A_workbook_LibreOffice_saved_from_the_county_sample_reads_as_the_sample_csv()
    {
        var csv = File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "samples", "batch-623024-county.csv"));
        var xlsx = File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "samples", "batch-623024-county.xlsx"));

        Assert.Equal(reader.Check(BatchFormat.Csv, csv), reader.Check(BatchFormat.Xlsx, xlsx));
        var expected = reader.ReadRows(BatchFormat.Csv, csv).ToList();
        var actual = reader.ReadRows(BatchFormat.Xlsx, xlsx).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (want, got) = (expected[i].Parsed.Input, actual[i].Parsed.Input);
            Assert.Equal(expected[i].Row, actual[i].Row);
            Assert.Equal((want.UnitCode, want.ReportDate, want.Notes, want.ReporterName, want.ReporterPhone), (got.UnitCode, got.ReportDate, got.Notes, got.ReporterName, got.ReporterPhone));
            Assert.Equal(want.Values.Select(v => (v.Key, v.Value.Number, v.Value.Number is null ? v.Value.Raw : null)),
                got.Values.Select(v => (v.Key, v.Value.Number, v.Value.Number is null ? v.Value.Raw : null)));
            Assert.Equal(expected[i].Parsed.Errors, actual[i].Parsed.Errors);
        }
    }
}
