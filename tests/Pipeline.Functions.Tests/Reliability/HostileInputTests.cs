using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Time;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Reliability;

/// <summary>
/// The hostile-input corpus (Reliability/hostile-reports.json, data, not code): each case gets a clear 4xx
/// with a problem+json body, nothing is stored, and the host keeps serving.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HostileInputTests(AzuriteFixture azurite)
{
    private sealed record HostileCase(string Name, string ContentType, string Body, int Status);

    private static IReadOnlyList<HostileCase> Corpus(string file = "hostile-reports.json") =>
        JsonSerializer.Deserialize<List<HostileCase>>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reliability", file)),
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    private static byte[] Expand(string body, string today) => body switch
    {
        "@@BINARY@@" => [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 256))],
        "@@GBK@@" => [.. Encoding.UTF8.GetBytes("unitCode,reportDate,returnees,notes\r\n623026100,2026-11-27,1,"), 0xD5, 0xFD, 0xB3, 0xA3, 0x0D, 0x0A],
        "@@UTF16@@" => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("unitCode,reportDate,returnees\r\n623026100,2026-11-27,1\r\n")).ToArray(),
        "@@ROWS10001@@" => Encoding.UTF8.GetBytes("unitCode,reportDate,returnees\r\n" + string.Concat(Enumerable.Repeat("623026100,2026-11-27,1\r\n", 10_001))),
        "@@BADUTF8@@" => [.. Encoding.UTF8.GetBytes("{\"unitCode\":\"623026100\",\"notes\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")],
        "@@BADUTF8ARRAY@@" => [.. Encoding.UTF8.GetBytes("[{\"unitCode\":\"623026100\",\"notes\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}]")],
        _ => Encoding.UTF8.GetBytes(ExpandText(body, today)),
    };

    private static string ExpandText(string body, string today) => body switch
    {
        "@@10MB@@" => "{\"notes\":\"" + new string('x', 10 * 1024 * 1024) + "\"}",
        "@@65KB@@" => "{\"notes\":\"" + new string('x', 65 * 1024) + "\"}",
        _ => body.Replace("{{today}}", today, StringComparison.Ordinal),
    };

    [Fact]
    public async Task Every_hostile_batch_upload_is_refused_whole_with_a_clear_4xx()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        var today = host.Services.GetRequiredService<ReportingClock>().Today.ToString("yyyy-MM-dd");
        using var client = host.Client((await host.IssueTokenAsync("official", "623026")).Token);
        var failures = new List<string>();
        foreach (var hostile in Corpus("hostile-batches.json"))
        {
            using var content = new ByteArrayContent(Expand(hostile.Body, today));
            content.Headers.TryAddWithoutValidation("Content-Type", hostile.ContentType);
            using var response = await client.PostAsync("api/reports/batch", content);
            if ((int)response.StatusCode != hostile.Status || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{hostile.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/health")).StatusCode);
    }

    [Fact]
    public void The_corpus_holds_at_least_100_cases()
    {
        Assert.True(Corpus().Count >= 100, $"{Corpus().Count} cases");
        Assert.Equal(Corpus().Count, Corpus().Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public async Task Every_hostile_report_gets_a_clear_4xx_and_nothing_is_stored()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        var today = host.Services.GetRequiredService<ReportingClock>().Today.ToString("yyyy-MM-dd");
        var (_, token) = await host.IssueTokenAsync("reporter", "623026100");
        using var client = host.Client(token);
        var reports = host.Services.GetRequiredService<StorageTables>().Reports;
        async Task<int> StoredFor623026100() =>
            await reports.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"623026"}"), select: ["RowKey"])
                .CountAsync(e => e.RowKey.Contains("623026100", StringComparison.Ordinal));
        var before = await StoredFor623026100();

        var failures = new List<string>();
        foreach (var hostile in Corpus())
        {
            using var content = new ByteArrayContent(Expand(hostile.Body, today));
            if (hostile.ContentType.Length > 0)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", hostile.ContentType);
            }

            using var response = await client.PostAsync("api/reports", content);
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            if ((int)response.StatusCode != hostile.Status || !problem)
            {
                failures.Add($"{hostile.Name}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(before, await StoredFor623026100());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/health")).StatusCode);
    }
}
