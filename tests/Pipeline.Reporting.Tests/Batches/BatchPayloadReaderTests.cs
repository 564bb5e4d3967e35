using System.Text;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Catalogue;
using Pipeline.Testing;

namespace Pipeline.Reporting.Tests.Batches;

public sealed class BatchPayloadReaderTests
{
    private readonly BatchPayloadReader reader = new(IndicatorCatalogue.LoadEmbedded());

    private static byte[] Utf8(string text, bool bom) => (bom ? Encoding.UTF8.GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(text)).ToArray();

    [Theory]
    [InlineData(true, "\r\n")]
    [InlineData(false, "\n")]
    public void Csv_with_or_without_bom_and_crlf_or_lf_reads_the_same(bool bom, string newline)
    {
        var csv = Utf8(string.Join(newline, "unitCode,reportDate,returnees,fromWuhan,notes",
            "623024100,2026-11-27,\"1,234\",,\"含逗号, 和\"\"引号\"\"\"",
            "623024101,2026/1/5,12.5,-3,\"两行" + newline + "备注\"") + newline, bom);
        Assert.Equal(new BatchEnvelope(2, []), reader.Check(BatchFormat.Csv, csv));

        var rows = reader.ReadRows(BatchFormat.Csv, csv).ToList();
        var first = rows[0].Parsed.Input;
        Assert.Equal("623024100", first.UnitCode);
        Assert.Equal(1234m, first.Values["returnees"].Number);
        Assert.True(first.Values["fromWuhan"].IsBlank);
        Assert.Equal("含逗号, 和\"引号\"", first.Notes);
        var second = rows[1].Parsed.Input;
        Assert.Equal(2, rows[0].Row);
        Assert.Equal(3, rows[1].Row);
        Assert.Equal("2026-01-05", second.ReportDate);
        Assert.Equal(12.5m, second.Values["returnees"].Number);
        Assert.Equal(-3m, second.Values["fromWuhan"].Number);
        Assert.Equal("两行" + newline + "备注", second.Notes);
    }

    [Theory]
    [InlineData("1,234", 1234)]
    [InlineData("12,345.50", 12345.5)]
    [InlineData(" 7 ", 7)]
    public void Spreadsheet_numbers_are_numbers(string cell, double expected) =>
        Assert.Equal((decimal)expected, BatchPayloadReader.ReadNumber(cell.Trim()).Number);

    [Theory]
    [InlineData("1,23")]
    [InlineData("12,34,567")]
    [InlineData("1e5")]
    [InlineData("十二")]
    [InlineData("0x10")]
    public void Anything_else_stays_text_for_the_validator_to_name(string cell)
    {
        var value = BatchPayloadReader.ReadNumber(cell);
        Assert.Null(value.Number);
        Assert.Equal(cell, value.Raw);
    }

    [Fact]
    public void A_gbk_or_utf16_file_is_refused_with_an_encoding_error_not_read_as_garbage()
    {
        var gbk = Encoding.ASCII.GetBytes("unitCode,reportDate,notes\r\n623024100,2026-11-27,").Concat(new byte[] { 0xB5, 0xE7, 0xD8, 0xC1 }).ToArray();
        Assert.Equal("csvEncoding", reader.Check(BatchFormat.Csv, gbk).Errors.Single().Code);
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("unitCode,reportDate\r\n")).ToArray();
        Assert.Equal("csvEncoding", reader.Check(BatchFormat.Csv, utf16).Errors.Single().Code);
    }

    [Fact]
    public void Header_problems_are_named_before_anything_is_queued()
    {
        var errors = reader.Check(BatchFormat.Csv, Utf8("unitCode,returnees,returnees,fromMars\r\n", bom: true)).Errors;
        Assert.Equal(["csvDuplicateColumn", "csvUnknownColumn", "csvMissingColumn"], errors.Select(e => e.Code));
        Assert.Equal("csvEmpty", reader.Check(BatchFormat.Csv, Utf8("", bom: true)).Errors.Single().Code);
        Assert.Equal("batchNotArray", reader.Check(BatchFormat.Json, Utf8("{}", bom: false)).Errors.Single().Code);
        Assert.Equal("batchMalformedJson", reader.Check(BatchFormat.Json, Utf8("[{", bom: false)).Errors.Single().Code);
    }

    [Fact]
    public void A_row_with_more_cells_than_the_header_is_rejected_by_name()
    {
        var rows = reader.ReadRows(BatchFormat.Csv, Utf8("unitCode,reportDate\r\n623024100,2026-11-27,5\r\n", bom: false)).ToList();
        Assert.Equal("csvExtraCells", rows.Single().Parsed.Errors.Single().Code);
    }

    [Fact]
    public void The_sample_file_is_a_spreadsheet_export_of_one_row_per_township()
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "samples", "batch-102-townships.csv"));
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Contains("\r\n", Encoding.UTF8.GetString(bytes));
        Assert.Equal(102, reader.Check(BatchFormat.Csv, bytes).Rows);
        var units = reader.ReadRows(BatchFormat.Csv, bytes).Select(r => r.Parsed.Input.UnitCode).ToList();
        Assert.Equal(Pipeline.Reporting.Units.UnitRegistry.LoadEmbedded().Townships.Select(t => t.Code), units);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void Row_numbers_are_the_file_lines_blank_lines_and_line_breaks_in_cells_included(string newline)
    {
        var csv = Utf8(string.Join(newline,
            "unitCode,reportDate,returnees,notes", // line 1
            "623024100,2026-11-27,1,",             // line 2
            "",                                    // line 3
            "623024101,2026-11-27,2,\"两行" + newline + "备注\"", // lines 4-5
            ",,,",                                 // line 6
            "623024102,2026-11-27,3,") + newline, bom: true);
        Assert.Equal(3, reader.Check(BatchFormat.Csv, csv).Rows);
        var rows = reader.ReadRows(BatchFormat.Csv, csv).ToList();
        Assert.Equal([2, 4, 7], rows.Select(r => r.Row));
        Assert.Equal(["623024100", "623024101", "623024102"], rows.Select(r => r.Parsed.Input.UnitCode));
    }

    [Fact]
    public void An_unclosed_quote_refuses_the_file_naming_its_line_instead_of_folding_later_rows_into_a_cell()
    {
        var csv = Utf8("unitCode,reportDate,returnees,notes\r\n623024100,2026-11-27,1,ok\r\n623024101,2026-11-27,2,\"卡点值守\r\n623024102,2026-11-27,3,\r\n", bom: true);
        var error = reader.Check(BatchFormat.Csv, csv).Errors.Single();
        Assert.Equal(("file", "csvUnclosedQuote"), (error.Field, error.Code));
        Assert.Equal(3, error.Args.Single());
    }

    [Fact]
    public void Text_after_a_closing_quote_refuses_the_file_naming_its_line()
    {
        var csv = Utf8("unitCode,reportDate,notes\n623024100,2026-11-27,\"a\"b\n", bom: false);
        var error = reader.Check(BatchFormat.Csv, csv).Errors.Single();
        Assert.Equal(("csvTextAfterQuote", 2), (error.Code, error.Args.Single()));
    }

    [Fact]
    public void A_quote_inside_an_unquoted_cell_is_kept_as_written()
    {
        var rows = reader.ReadRows(BatchFormat.Csv, Utf8("unitCode,reportDate,notes\n623024100,2026-11-27,5'8\" tall\n", bom: false)).ToList();
        Assert.Equal("5'8\" tall", rows.Single().Parsed.Input.Notes);
    }

    [Fact]
    public void Chinese_and_english_labels_are_headers_as_well_as_the_keys_and_unit_name_is_ignored()
    {
        var catalogue = IndicatorCatalogue.LoadEmbedded();
        var csv = Utf8("单位代码,unitName,报告日期,返乡人员,其中:湖北,Arrivals from epidemic areas,居家隔离人员,备注\r\n623024100,电尕镇,2026-11-27,12,1,3,4,夜班\r\n", bom: true);
        Assert.Equal(new BatchEnvelope(1, []), reader.Check(BatchFormat.Csv, csv));
        var input = reader.ReadRows(BatchFormat.Csv, csv).Single().Parsed.Input;
        Assert.Equal(("623024100", "2026-11-27", "夜班"), (input.UnitCode, input.ReportDate, input.Notes));
        Assert.Equal(12m, input.Values["returnees"].Number);
        Assert.Equal(1m, input.Values["fromHubei"].Number);
        Assert.Equal(3m, input.Values["fromEpidemicAreas"].Number);
        Assert.Equal(["fromEpidemicAreas", "fromHubei", "homeQuarantine", "returnees"], input.Values.Keys.Order());
        Assert.Equal(catalogue.Indicators.Count, catalogue.Indicators.Select(i => i.LabelZh).Concat(catalogue.Indicators.Select(i => i.LabelEn)).Distinct().Count() / 2);
    }

    [Fact]
    public void A_column_named_twice_by_key_and_label_or_an_unknown_column_still_refuses_the_file()
    {
        var errors = reader.Check(BatchFormat.Csv, Utf8("unitCode,reportDate,returnees,返乡人员,单位,notes\r\n", bom: true)).Errors;
        Assert.Equal(["csvDuplicateColumn", "csvUnknownColumn"], errors.Select(e => e.Code));
    }

    [Fact]
    public void Checking_a_16_MB_upload_reads_it_record_by_record_and_keeps_no_copy_of_it()
    {
        var body = LargeUpload.Csv(IndicatorCatalogue.LoadEmbedded(), ["623024100"], 16 * 1024 * 1024);
        reader.Check(BatchFormat.Csv, Utf8("unitCode,reportDate\r\n623024100,2026-11-27\r\n", bom: true)); // JIT, static data

        var before = GC.GetAllocatedBytesForCurrentThread();
        var envelope = reader.Check(BatchFormat.Csv, body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(envelope.IsReadable && envelope.Rows > 9_000, $"{envelope.Rows} rows");
        // A decoded copy alone would be twice the body (UTF-16); what is allocated is per record and short-lived.
        Assert.True(allocated < body.Length / 4, $"checking {body.Length} bytes allocated {allocated} bytes");
    }
}
