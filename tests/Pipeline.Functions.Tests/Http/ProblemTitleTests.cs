using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Http;

/// <summary>
/// A refused request is titled for what was refused: only a report is "the report did not pass validation"; a bad
/// date or scope in a URL, a refused exemption or a reminder run is a request that did not pass.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProblemTitleTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    [Theory]
    [InlineData("GET", "api/completeness/2026-13-01", null)]
    [InlineData("GET", "api/templates/batch.csv?scope=999999", null)]
    [InlineData("GET", "api/templates/batch.xlsx?date=2026-11-31", null)]
    [InlineData("GET", "api/rollups/links?date=x", null)]
    [InlineData("POST", "api/exemptions", """{"unitCode":"623024100","from":"2026-11-27","to":"2026-11-27","reason":""}""")]
    public async Task A_request_that_is_not_a_report_is_not_called_a_report(string method, string route, string? body)
    {
        foreach (var (language, title) in new[] { ("en", "The request did not pass validation"), ((string?)null, "请求未通过校验") })
        {
            using var admin = Host.Client(Host.AdminToken, language);
            using var request = new HttpRequestMessage(new HttpMethod(method), route)
            {
                Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
            };
            var response = await admin.SendAsync(request);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task A_refused_report_still_says_so()
    {
        using var admin = Host.Client(Host.AdminToken, "en");
        var response = await admin.PostAsJsonAsync("api/reports", Reports.Valid(unit: "623024100", date: "2026-13-01"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The report did not pass validation", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }
}
