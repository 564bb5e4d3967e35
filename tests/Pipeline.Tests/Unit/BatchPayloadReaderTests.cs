using System.Text;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Catalogue;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Unit;

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
        Assert.Equal(2, rows[1].Row);
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
}
