using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;
using Pipeline.Testing;
using Xunit.Abstractions;

namespace Pipeline.Functions.Tests.Reliability;

/// <summary>
/// Formula injection followed from every place a user can type text into every file a user can download.
/// The hostile texts (Reliability/formula-injection.json, data) go into notes, reporter names, submission
/// ids, phones, unit codes, dates and values, through the JSON API and through a batch CSV; then the day's
/// rollup is built and every file of its manifest is downloaded. No XLSX cell may be a formula, no CSV or
/// XLSX text cell may start with = + - @ tab or CR unless it is a number, and every hostile text found in
/// a file is counted, so a later change that puts user text into an export without
/// <c>SpreadsheetText.Safe</c> fails here.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FormulaInjectionTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private sealed record FormulaCase(string Name, string Text);

    private static IReadOnlyList<FormulaCase> Corpus() =>
        JsonSerializer.Deserialize<List<FormulaCase>>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reliability", "formula-injection.json")),
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    /// <summary>Reporter names refuse control characters; those cases go into notes only.</summary>
    private static string NameFor(FormulaCase hostile) => hostile.Text.Any(char.IsControl) ? "卓玛" : hostile.Text;

    [Fact]
    public void The_corpus_covers_every_formula_trigger()
    {
        var corpus = Corpus();
        Assert.All(ExportCell.Triggers, trigger => Assert.Contains(corpus, c => c.Text[0] == trigger));
        Assert.Contains(corpus, c => c.Text == "=cmd|' /C calc'!A0");
        Assert.Contains(corpus, c => c.Text.StartsWith("=HYPERLINK(", StringComparison.Ordinal));
        Assert.Equal(corpus.Count, corpus.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public void The_inspection_catches_a_formula_cell_and_an_unneutralised_text_cell()
    {
        // The checks below must be able to fail: a workbook with a formula and a raw "=cmd" text, and a CSV with one.
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            var sheet = workbook.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(new SheetData(new Row(
                new Cell { CellReference = "A1", CellFormula = new CellFormula("1+1") },
                new Cell(new InlineString(new Text("=cmd|' /C calc'!A0"))) { CellReference = "B1", DataType = CellValues.InlineString },
                new Cell(new InlineString(new Text("'=cmd|' /C calc'!A0"))) { CellReference = "C1", DataType = CellValues.InlineString },
                new Cell { CellReference = "D1", DataType = CellValues.Number, CellValue = new CellValue(-5m) })));
            workbook.Workbook.Sheets!.Append(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "s" });
            workbook.Workbook.Save();
        }

        Assert.Equal(["xlsx s row 1 column 1", "xlsx s row 1 column 2"], ExportCells.Xlsx(buffer.ToArray()).Where(c => c.IsDangerous).Select(c => c.Where));
        var csv = Encoding.UTF8.GetBytes("a,b,c,d,e\r\n\"=cmd|' /C calc'!A0\",'=1+1,-5,-2+3,\"\t=1\"\r\n");
        Assert.Equal(["=cmd|' /C calc'!A0", "-2+3", "\t=1"], ExportCells.Csv(csv).Where(c => c.IsDangerous).Select(c => c.Text));
    }

    [Fact]
    public async Task Hostile_text_from_the_json_api_and_a_batch_csv_reaches_no_export_unneutralised()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        var date = host.Services.GetRequiredService<ReportingClock>().Today.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var townships = host.Services.GetRequiredService<UnitRegistry>().Townships;
        var corpus = Corpus();
        Assert.True(townships.Count >= 2 * corpus.Count);
        using var official = host.Client((await host.IssueTokenAsync("official", "623000")).Token);
        using var admin = host.AdminClient();

        // 1. The JSON API: hostile notes and reporter names are valid text and stored as typed.
        for (var i = 0; i < corpus.Count; i++)
        {
            var body = Reports.Valid(unit: townships[i].Code, date: date);
            body["notes"] = corpus[i].Text;
            body["reporter"] = new Dictionary<string, object?> { ["name"] = NameFor(corpus[i]), ["phone"] = "13800138000" };
            using var response = await official.PostAsync(body);
            Assert.True(response.IsSuccessStatusCode, $"{corpus[i].Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var stored = await official.GetFromJsonAsync<JsonElement>($"api/reports/{date}/{townships[i].Code}");
            Assert.Equal(corpus[i].Text, stored.GetProperty("notes").GetString());
            Assert.Equal(NameFor(corpus[i]), stored.GetProperty("reporter").GetProperty("name").GetString());
        }

        // ... and where the text is not valid (ids, phones, unit codes, dates, values) it is refused with a problem, nothing stored.
        var refused = 0;
        foreach (var hostile in corpus)
        {
            foreach (var field in new[] { "submissionId", "phone", "unitCode", "reportDate", "returnees" })
            {
                var body = Reports.Valid(unit: townships[0].Code, date: date);
                switch (field)
                {
                    case "phone": body["reporter"] = new Dictionary<string, object?> { ["name"] = "卓玛", ["phone"] = hostile.Text }; break;
                    case "returnees": ((Dictionary<string, object?>)body["values"]!)["returnees"] = hostile.Text; break;
                    default: body[field] = hostile.Text; break;
                }

                using var response = await official.PostAsync(body);
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{hostile.Name} in {field}: {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                refused++;
            }
        }

        // 2. A batch CSV: the same texts in notes and reporterName of valid rows, and in every other column of rows that must be rejected.
        var rows = new List<Dictionary<string, string>>();
        for (var i = 0; i < corpus.Count; i++)
        {
            rows.Add(CsvRow(townships[corpus.Count + i].Code, date, notes: corpus[i].Text, reporterName: NameFor(corpus[i])));
        }

        var validRows = rows.Count;
        foreach (var hostile in corpus)
        {
            foreach (var column in new[] { "unitCode", "reportDate", "returnees", "submissionId", "reporterPhone" })
            {
                var row = CsvRow(townships[corpus.Count].Code, date, notes: "", reporterName: "卓玛");
                row[column] = hostile.Text;
                rows.Add(row);
            }
        }

        var batch = await SubmitCsvAsync(official, rows);
        var status = await WaitForCompletionAsync(official, batch);
        Assert.Equal(rows.Count, status.Body.GetProperty("total").GetInt32());
        Assert.Equal(validRows, status.Body.GetProperty("accepted").GetInt32());
        Assert.Equal(rows.Count - validRows, status.Body.GetProperty("rejected").GetInt32());
        for (var i = 0; i < corpus.Count; i++)
        {
            // CSV cells are read trimmed, so a leading tab or CR goes, and what is left still starts with a trigger.
            var stored = await official.GetFromJsonAsync<JsonElement>($"api/reports/{date}/{townships[corpus.Count + i].Code}");
            Assert.Equal(corpus[i].Text.Trim(), stored.GetProperty("notes").GetString());
            Assert.Equal(NameFor(corpus[i]), stored.GetProperty("reporter").GetProperty("name").GetString());
        }

        // The batch results echo rejected cells: a JSON status body, never a download, and with control characters replaced.
        Assert.Equal("application/json", status.ContentType);
        Assert.False(status.IsAttachment);
        var echoed = Strings(status.Body).ToList();
        Assert.DoesNotContain(echoed, s => s.Any(char.IsControl));

        // 3. The rollup of that day, and every file it offers.
        using (var built = await admin.PostAsync($"api/rollups/{date}", null))
        {
            Assert.True(built.IsSuccessStatusCode, await built.Content.ReadAsStringAsync());
        }

        var manifest = await admin.GetFromJsonAsync<JsonElement>($"api/rollups/{date}");
        var files = manifest.GetProperty("files").EnumerateArray().Select(f => (Format: f.GetProperty("format").GetString()!, Url: f.GetProperty("url").GetString()!.TrimStart('/'))).ToList();
        Assert.Equal(["json", "xlsx", "csv", "pdf"], files.Select(f => f.Format));
        var found = new List<string>();
        foreach (var (format, url) in files)
        {
            using var response = await admin.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            switch (format)
            {
                case "xlsx":
                case "csv":
                    var cells = format == "xlsx" ? ExportCells.Xlsx(bytes) : ExportCells.Csv(bytes);
                    Assert.NotEmpty(cells);
                    Assert.Empty(cells.Where(c => c.IsDangerous).Select(c => $"{c.Where}: {c.Text}"));
                    foreach (var cell in cells.Where(c => corpus.Any(h => c.Text.Contains(h.Text.Trim(), StringComparison.Ordinal))))
                    {
                        // A hostile text may appear only whole and neutralised: behind the leading apostrophe
                        // (XML reads a CR back as LF).
                        var hostile = corpus.FirstOrDefault(h => Lf(cell.Text) == Lf("'" + h.Text) || cell.Text == "'" + h.Text.Trim());
                        Assert.True(hostile is not null, $"{cell.Where} holds hostile text not neutralised: {cell.Text}");
                        found.Add($"{format}: {hostile.Name} at {cell.Where} (neutralised)");
                    }

                    output.WriteLine($"{format}: {cells.Count} cells, none a formula, none starting with a trigger unless a number");
                    break;
                case "json":
                    var texts = Strings(JsonDocument.Parse(bytes).RootElement).ToList();
                    found.AddRange(corpus.Where(h => texts.Any(t => t.Contains(h.Text.Trim(), StringComparison.Ordinal))).Select(h => $"json: {h.Name}"));
                    output.WriteLine($"json: {texts.Count} strings");
                    break;
                case "pdf":
                    Assert.Equal("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));
                    var raw = Encoding.Latin1.GetString(bytes);
                    found.AddRange(corpus.Where(h => raw.Contains(h.Text.Trim(), StringComparison.Ordinal)).Select(h => $"pdf: {h.Name}"));
                    output.WriteLine($"pdf: {bytes.Length} bytes");
                    break;
                default:
                    Assert.Fail($"a rollup file of a format this test does not inspect: {format}; add its inspection here");
                    break;
            }
        }

        // A hostile file name is not a download: it names no file of the manifest.
        foreach (var hostile in corpus)
        {
            using var response = await admin.GetAsync($"api/rollups/{date}/files/{Uri.EscapeDataString(hostile.Text)}.csv");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.NotEqual("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        }

        output.WriteLine($"{corpus.Count} hostile texts: {2 * corpus.Count} stored reports (JSON and batch notes and names), {refused} refused JSON fields, {rows.Count - validRows} rejected batch cells; " +
            $"found in the rollup files: {(found.Count == 0 ? "nowhere (no user text reaches an export)" : string.Join("; ", found))}");
    }

    private static Dictionary<string, string> CsvRow(string unit, string date, string notes, string reporterName)
    {
        var row = new Dictionary<string, string>
        {
            ["unitCode"] = unit,
            ["reportDate"] = date,
            ["submissionId"] = Guid.NewGuid().ToString("N"),
            ["reporterName"] = reporterName,
            ["reporterPhone"] = "13800138000",
            ["notes"] = notes,
        };
        foreach (var (key, value) in Reports.ValidValues())
        {
            row[key] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
        }

        return row;
    }

    /// <summary>The rows as a county would upload them: written by CsvHelper, every cell quoted, UTF-8 with BOM.</summary>
    private static async Task<string> SubmitCsvAsync(HttpClient client, List<Dictionary<string, string>> rows)
    {
        var columns = rows[0].Keys.ToList();
        using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        await using (var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { ShouldQuote = _ => true, NewLine = "\r\n" }))
        {
            columns.ForEach(csv.WriteField);
            await csv.NextRecordAsync();
            foreach (var row in rows)
            {
                columns.ForEach(c => csv.WriteField(row[c]));
                await csv.NextRecordAsync();
            }
        }

        using var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "text/csv");
        using var response = await client.PostAsync("api/reports/batch", content);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!.TrimStart('/');
    }

    private static async Task<(JsonElement Body, string? ContentType, bool IsAttachment)> WaitForCompletionAsync(HttpClient client, string statusUrl)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync(statusUrl);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (body.GetProperty("status").GetString() == "completed")
            {
                return (body, response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentDisposition?.DispositionType == "attachment");
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"the batch did not complete: {body.GetProperty("status")}");
            await Task.Delay(200);
        }
    }

    private static string Lf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value).Prepend(p.Name)),
        _ => [],
    };
}
