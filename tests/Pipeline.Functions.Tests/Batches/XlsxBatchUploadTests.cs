using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Units;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Batches;

/// <summary>The county's round trip in Excel: download the XLSX template, fill it in, save it as .xlsx, upload it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class XlsxBatchUploadTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    /// <summary>A day no other test of the shared Azurite reports for 碌曲县, so rows are first revisions.</summary>
    private const string Day = "2026-11-21";

    private const string County = "623026";

    [Fact]
    public async Task A_county_fills_in_the_xlsx_template_and_uploads_it_and_only_the_filled_rows_are_stored()
    {
        var catalogue = Host.Services.GetRequiredService<IndicatorCatalogue>();
        var townships = Host.Services.GetRequiredService<UnitRegistry>().TownshipsWithin(County);
        var (_, token) = await Host.IssueTokenAsync("official", County);
        using var official = Host.Client(token);

        var response = await official.GetAsync($"api/templates/batch.xlsx?date={Day}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(XlsxSheetReader.MediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"batch-{County}-{Day}.xlsx", response.Content.Headers.ContentDisposition!.FileName);
        var template = await response.Content.ReadAsByteArrayAsync();

        using var filled = new MemoryStream();
        filled.Write(template);
        using (var document = SpreadsheetDocument.Open(filled, isEditable: true))
        {
            var workbook = document.WorkbookPart!;
            var sheet = workbook.WorksheetParts.Single().Worksheet;
            var rows = sheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();
            var textFormats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().Select(f => f.NumberFormatId?.Value ?? 0).ToList();
            Assert.Equal(["单位代码", "单位名称", "报告日期"], rows[0].Elements<Cell>().Take(3).Select(c => c.InnerText));
            Assert.Equal(townships.Count + 1, rows.Count);

            // The code is text in a text-formatted cell, and so is the column: what Excel keeps as typed.
            var code = rows[1].Elements<Cell>().First();
            Assert.Equal(townships[0].Code, code.InnerText);
            Assert.Equal(CellValues.InlineString, code.DataType!.Value);
            Assert.Equal(49u, textFormats[(int)code.StyleIndex!.Value]);
            var codeColumn = sheet.GetFirstChild<Columns>()!.Elements<Column>().First();
            Assert.Equal(49u, textFormats[(int)codeColumn.Style!.Value]);

            // Excel fills two townships with numbers; the others stay as they came.
            var values = Reports.ValidValues();
            foreach (var row in new[] { rows[1], rows[3] })
            {
                for (var i = 0; i < catalogue.Indicators.Count; i++)
                {
                    if (values.TryGetValue(catalogue.Indicators[i].Key, out var value))
                    {
                        row.Append(new Cell { CellReference = ExcelWorkbook.Reference(3 + i, (int)row.RowIndex!.Value), CellValue = new CellValue(Convert.ToDecimal(value)) });
                    }
                }
            }

            sheet.Save();
        }

        await TemplateRoundTrip.UploadsTheFirstAndThirdAsync(official, Xlsx(filled.ToArray()), townships, Day);
    }

    [Fact]
    public async Task An_invalid_row_is_named_by_its_sheet_row_and_the_rest_are_stored()
    {
        var townships = Host.Services.GetRequiredService<UnitRegistry>().TownshipsWithin(County);
        var (_, token) = await Host.IssueTokenAsync("official", County);
        using var official = Host.Client(token, "en");
        var day = DateOnly.Parse(Day, System.Globalization.CultureInfo.InvariantCulture);
        var workbook = ExcelWorkbook.Build(
        [
            (1, ["单位代码", "单位名称", "报告日期", "返乡人员", "疫区流入人员", "其中：湖北", "其中：武汉", "居家隔离人员", "发热转诊人员"]),
            (3, [int.Parse(townships[4].Code, System.Globalization.CultureInfo.InvariantCulture), "x", new ExcelWorkbook.Date(day), 12, 3, 1, 5, 3, 0]),
            (7, [townships[5].Code, "y", new ExcelWorkbook.Date(day), 12, 3, 1, 1, 3, 0]),
        ]);

        var accepted = await official.PostAsync("api/reports/batch", Xlsx(workbook));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var status = await BatchPolling.CompletedAsync(official, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!);

        var results = status.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("row").GetInt32());
        Assert.Equal([3, 7], results.Keys.Order());
        Assert.Equal("rejected", results[3].GetProperty("outcome").GetString());
        Assert.Equal("Arrivals from Wuhan (5) cannot exceed Arrivals from Hubei (1)", results[3].GetProperty("errors").GetProperty("values.fromWuhan")[0].GetString());
        Assert.Equal("created", results[7].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_file_that_is_no_workbook_is_a_400_and_the_row_limit_holds()
    {
        var (_, official) = await Host.IssueTokenAsync("official", County);
        using var client = Host.Client(official, "en");
        var broken = await client.PostAsync("api/reports/batch", Xlsx("unitCode,reportDate\r\n"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("Excel Workbook (*.xlsx)", (await broken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString());

        var township = Host.Services.GetRequiredService<UnitRegistry>().TownshipsWithin(County)[6].Code;
        var (_, reporter) = await Host.IssueTokenAsync("reporter", township);
        using var reporterClient = Host.Client(reporter);
        var rows = Enumerable.Range(2, 51).Select(r => (r, new object?[] { township, Day, 1 }));
        var tooMany = await reporterClient.PostAsync("api/reports/batch", Xlsx(ExcelWorkbook.Build([(1, ["unitCode", "reportDate", "returnees"]), .. rows])));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
    }

    private static ByteArrayContent Xlsx(byte[] bytes) => new(bytes) { Headers = { ContentType = new(XlsxSheetReader.MediaType) } };
}
