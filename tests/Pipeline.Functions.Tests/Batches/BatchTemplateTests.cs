using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Units;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Batches;

/// <summary>The county's round trip: download the batch template, fill in some townships, upload it back.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchTemplateTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    /// <summary>A day no other test of the shared Azurite reports for 迭部县, so the two rows are first revisions.</summary>
    private const string Day = "2026-11-23";

    [Fact]
    public async Task A_county_downloads_its_template_fills_in_two_townships_and_uploads_it_and_only_those_two_are_stored()
    {
        var catalogue = Host.Services.GetRequiredService<IndicatorCatalogue>();
        var townships = Host.Services.GetRequiredService<UnitRegistry>().TownshipsWithin("623024");
        var (_, token) = await Host.IssueTokenAsync("official", "623024");
        using var official = Host.Client(token);

        var response = await official.GetAsync($"api/templates/batch.csv?date={Day}"); // the county is the default scope
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal($"batch-623024-{Day}.csv", response.Content.Headers.ContentDisposition.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.EndsWith("\r\n", text);
        var lines = text[..^2].Split("\r\n");
        var header = lines[0].Split(',');
        Assert.Equal(["单位代码", "单位名称", "报告日期"], header[..3]);
        Assert.Equal(catalogue.Indicators.Select(i => i.LabelZh), header[3..^3]);
        Assert.Equal(["备注", "填报人", "联系电话"], header[^3..]);
        Assert.Equal(townships.Select(t => $"{t.Code},{t.NameZh},{Day}" + new string(',', header.Length - 3)), lines[1..]);

        // Excel fills two rows; the others are left as they came and are no rows of the batch.
        var values = Reports.ValidValues();
        string Filled(string line) => string.Join(",", line.Split(',').Select((cell, i) =>
            i >= 3 && i < header.Length - 3 && values.TryGetValue(catalogue.Indicators[i - 3].Key, out var v) ? v!.ToString()! : cell));
        lines[1] = Filled(lines[1]);
        lines[3] = Filled(lines[3]);
        var upload = new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n")])
        {
            Headers = { ContentType = new("text/csv") },
        };
        await TemplateRoundTrip.UploadsTheFirstAndThirdAsync(official, upload, townships, Day);
    }

    [Fact]
    public async Task Another_county_is_forbidden_the_prefecture_may_choose_and_English_gets_English_labels()
    {
        var (_, county) = await Host.IssueTokenAsync("official", "623024");
        using var official = Host.Client(county);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.GetAsync("api/templates/batch.csv?scope=623023")).StatusCode);

        var (_, prefecture) = await Host.IssueTokenAsync("official", "623000");
        using var english = Host.Client(prefecture, "en");
        var response = await english.GetAsync("api/templates/batch.csv?scope=623023&date=2026-11-26");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("batch-623023-2026-11-26.csv", response.Content.Headers.ContentDisposition!.FileName);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n");
        Assert.StartsWith("Unit code,Unit name,Report date,", lines[0].TrimStart('\uFEFF'));
        Assert.Equal(Host.Services.GetRequiredService<UnitRegistry>().TownshipsWithin("623023").Count, lines.Length - 2);
    }
}
