using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Access;

/// <summary>Every endpoint x every role x in-scope and out-of-scope unit, and what reaches the logs.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AccessMatrixTests(AzuriteFixture azurite)
{
    private const string Unit = "623024100";
    private const string Date = "2026-11-27";

    /// <summary>The callers: a role and scope each, or no token, or a revoked one.</summary>
    internal static readonly string[] Callers =
        ["anonymous", "revoked", "reporter-own", "reporter-other", "official-county", "official-other-county", "official-prefecture", "admin"];

    /// <summary>Expected status per endpoint (method + route from functions.metadata) and caller.</summary>
    internal static readonly Dictionary<string, int[]> Expected = new()
    {
        //                                          anon revoked rep-own rep-oth off-cty off-oth off-pre admin
        ["GET health"] = [200, 200, 200, 200, 200, 200, 200, 200],
        ["GET units"] = [200, 200, 200, 200, 200, 200, 200, 200],
        ["GET indicators"] = [200, 200, 200, 200, 200, 200, 200, 200],
        ["GET report-shape"] = [200, 200, 200, 200, 200, 200, 200, 200],
        ["GET openapi.json"] = [200, 200, 200, 200, 200, 200, 200, 200],
        ["GET form/{*asset}"] = [200, 200, 200, 200, 200, 200, 200, 200],
        ["GET me"] = [401, 401, 200, 200, 200, 200, 200, 200],
        ["POST tokens"] = [401, 401, 403, 403, 201, 403, 201, 201], // a reporter token for 623024100 (section 7)
        ["DELETE tokens/{id}"] = [401, 401, 403, 403, 403, 403, 403, 404], // an unknown id: 403 for officials, 404 for admin
        ["GET tokens"] = [401, 401, 403, 403, 200, 403, 200, 200], // ?scope=623024
        ["POST enrol"] = [410, 410, 410, 410, 410, 410, 410, 410], // an unknown code
        ["GET console/{*asset}"] = [200, 200, 200, 200, 200, 200, 200, 200],
        ["GET board/{date}"] = [401, 401, 403, 403, 200, 403, 200, 200], // ?scope=623024
        ["GET exemptions"] = [401, 401, 403, 403, 200, 403, 200, 200], // ?scope=623024
        ["POST exemptions"] = [401, 401, 403, 403, 201, 403, 201, 201], // unit 623024100
        ["DELETE exemptions/{unitCode}/{from}"] = [401, 401, 403, 403, 404, 403, 404, 404], // none from that day
        ["POST reports"] = [401, 401, 200, 403, 200, 403, 200, 200],
        ["GET reports/{date}/{unitCode}"] = [401, 401, 200, 403, 200, 403, 200, 200],
        ["GET reports/{date}/{unitCode}/revisions"] = [401, 401, 200, 403, 200, 403, 200, 200],
        ["POST rollups/{date}"] = [401, 401, 403, 403, 403, 403, 200, 200],
        ["GET completeness/{date}"] = [401, 401, 403, 403, 200, 403, 200, 200], // ?scope=623024
        ["GET rollups"] = [401, 401, 403, 403, 200, 403, 200, 200], // ?scope=623024: county officials read their county's rollups
        ["GET rollups/{date}"] = [401, 401, 403, 403, 200, 403, 200, 200],
        ["GET rollups/{date}/files/{name}"] = [401, 401, 403, 403, 200, 403, 200, 200],
        ["GET rollups/{date}/files/{name}/link"] = [401, 401, 403, 403, 200, 403, 200, 200],
        ["GET rollups/links"] = [401, 401, 403, 403, 403, 403, 403, 200], // the log of links issued
        ["POST reports/batch"] = [401, 401, 202, 202, 202, 202, 202, 202], // scope is checked per row: see BatchTests
        ["GET batches/{batchId}"] = [401, 401, 403, 403, 403, 403, 403, 200], // the admin's batch: only its submitter
        ["POST reminders/{date}/run"] = [401, 401, 403, 403, 403, 403, 403, 200], // ?cutoff=16:00
        ["GET reminders/{date}"] = [401, 401, 403, 403, 200, 200, 200, 200], // an official sees its own scope's groups
        ["GET operations/poison"] = [401, 401, 403, 403, 403, 403, 403, 200],
        ["POST operations/poison/{messageId}/replay"] = [401, 401, 403, 403, 403, 403, 403, 404], // no such message
        ["DELETE operations/poison/{messageId}"] = [401, 401, 403, 403, 403, 403, 403, 404],
        ["GET templates/batch.csv"] = [401, 401, 403, 403, 200, 403, 200, 200], // ?scope=623024
        ["GET templates/batch.xlsx"] = [401, 401, 403, 403, 200, 403, 200, 200], // ?scope=623024
    };

    private static IEnumerable<(string Method, string Route)> Endpoints()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        return document.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .SelectMany(b => b.GetProperty("methods").EnumerateArray().Select(m => (m.GetString()!.ToUpperInvariant(), b.GetProperty("route").GetString()!)))
            .ToList();
    }

    [Fact]
    public void The_matrix_covers_every_http_endpoint_of_the_app()
    {
        var missing = Endpoints().Select(e => $"{e.Method} {e.Route}").Where(e => !Expected.ContainsKey(e)).ToList();
        Assert.True(missing.Count == 0, "endpoints without access expectations: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Every_endpoint_answers_every_caller_as_the_access_rules_say_and_logs_no_secrets()
    {
        var logs = new LogCapture();
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString, configure: b => b.Logging.AddProvider(logs));
        var (revokedId, revoked) = await host.IssueTokenAsync("reporter", Unit);
        string batchId;
        using (var admin = host.AdminClient())
        {
            (await admin.DeleteAsync($"api/tokens/{revokedId}")).EnsureSuccessStatusCode();
            var seed = Reports.Valid(unit: Unit);
            seed["notes"] = "secret-note-4711";
            (await admin.PostAsync(seed)).EnsureSuccessStatusCode();
            (await admin.PostAsync($"api/rollups/{Date}", null)).EnsureSuccessStatusCode();
            var batch = await admin.PostAsJsonAsync("api/reports/batch", new[] { Reports.Valid(unit: Unit) });
            batchId = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("batchId").GetString()!;
        }

        var tokens = new Dictionary<string, string?>
        {
            ["anonymous"] = null,
            ["revoked"] = revoked,
            ["reporter-own"] = (await host.IssueTokenAsync("reporter", Unit)).Token,
            ["reporter-other"] = (await host.IssueTokenAsync("reporter", "623024101")).Token,
            ["official-county"] = (await host.IssueTokenAsync("official", "623024")).Token,
            ["official-other-county"] = (await host.IssueTokenAsync("official", "623025")).Token,
            ["official-prefecture"] = (await host.IssueTokenAsync("official", "623000")).Token,
            ["admin"] = host.AdminToken,
        };

        var failures = new List<string>();
        foreach (var (method, route) in Endpoints())
        {
            var expected = Expected[$"{method} {route}"];
            for (var c = 0; c < Callers.Length; c++)
            {
                using var client = host.Client(tokens[Callers[c]]);
                using var request = new HttpRequestMessage(new HttpMethod(method), "api/" + Path(route).Replace("{batchId}", batchId, StringComparison.Ordinal));
                request.Content = Body(method, route);
                using var response = await client.SendAsync(request);
                if ((int)response.StatusCode != expected[c])
                {
                    failures.Add($"{method} {route} as {Callers[c]}: {(int)response.StatusCode}, expected {expected[c]}");
                }
            }
        }

        Assert.Empty(failures);
        var secrets = tokens.Values.OfType<string>().Select(t => t.StartsWith("pt_", StringComparison.Ordinal) ? t.Split('_', 3)[2] : t).Append(host.AdminToken).Append("secret-note-4711");
        Assert.Contains(logs.Lines, l => l.Contains("issued", StringComparison.Ordinal));
        var leaks = logs.Lines.Where(line => secrets.Any(s => line.Contains(s, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, "secrets in logs: " + string.Join("\n", leaks));
    }

    private static string Path(string route) => route
        .Replace("{*asset}", "", StringComparison.Ordinal)
        .Replace("{date}", Date, StringComparison.Ordinal)
        .Replace("{unitCode}", Unit, StringComparison.Ordinal)
        .Replace("{id}", "0123456789abcdef", StringComparison.Ordinal)
        .Replace("{messageId}", "00000000-0000-0000-0000-000000000000", StringComparison.Ordinal)
        .Replace("{name}", "rollup.json", StringComparison.Ordinal)
        .Replace("{from}", "2026-11-20", StringComparison.Ordinal)
        + (route.StartsWith("completeness/", StringComparison.Ordinal) || route is "tokens" or "board/{date}" or "exemptions" or "templates/batch.csv" or "templates/batch.xlsx"
            || (route.StartsWith("rollups", StringComparison.Ordinal) && route != "rollups/links") ? "?scope=623024" : "")
        + (route == "reminders/{date}/run" ? "?cutoff=16:00" : "");

    private static HttpContent? Body(string method, string route) => (method, route) switch
    {
        ("POST", "reports") => JsonContent.Create(Reports.Valid(unit: Unit, submissionId: "matrix")),
        ("POST", "reports/batch") => JsonContent.Create(new[] { Reports.Valid(unit: Unit, submissionId: "matrix-batch") }),
        ("POST", "tokens") => JsonContent.Create(new { role = "reporter", scope = Unit, label = "matrix" }),
        ("POST", "enrol") => JsonContent.Create(new { code = "unknown-code" }),
        ("POST", "exemptions") => JsonContent.Create(new { unitCode = Unit, from = Date, reason = "matrix" }),
        _ => null,
    };
}
