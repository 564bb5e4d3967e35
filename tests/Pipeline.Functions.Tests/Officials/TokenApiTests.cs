using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Officials;

/// <summary>Section 7: officials issue, list and revoke reporter tokens of their scope; links enrol once.</summary>
[Collection(ConsoleAzuriteCollection.Name)]
public sealed class TokenApiTests(AzuriteFixture azurite)
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static string CodeOf(string link) => link[(link.IndexOf("#enrol=", StringComparison.Ordinal) + 7)..];

    [Fact]
    public async Task A_county_official_issues_a_reporter_token_with_a_link_that_enrols_once()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        var (_, county) = await host.IssueTokenAsync("official", "623023");
        using var official = host.Client(county);

        var response = await official.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = "623023100", label = "城关镇", contactName = "扎西", contactPhone = "13912345678" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await JsonAsync(response);
        var link = issued.GetProperty("link").GetString()!;
        Assert.StartsWith(host.BaseAddress + "api/form#enrol=", link, StringComparison.Ordinal);
        Assert.DoesNotContain("?", link, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.GetProperty("token").GetString()!, link, StringComparison.Ordinal);
        Assert.Equal(PipelineHost.DefaultNow.AddDays(14), issued.GetProperty("linkExpiresAt").GetDateTimeOffset());
        Assert.Equal("扎西", issued.GetProperty("contactName").GetString());

        using var anonymous = host.Client();
        var enrolled = await anonymous.PostAsJsonAsync("api/enrol", new { code = CodeOf(link) });
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        var body = await JsonAsync(enrolled);
        Assert.Equal("reporter", body.GetProperty("role").GetString());
        Assert.Equal("623023100", body.GetProperty("scope").GetString());
        using (var reporter = host.Client(body.GetProperty("token").GetString()))
        {
            Assert.Equal(HttpStatusCode.OK, (await reporter.GetAsync("api/me")).StatusCode);
        }

        var again = await anonymous.PostAsJsonAsync("api/enrol", new { code = CodeOf(link) });
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("已经用过或已过期", (await JsonAsync(again)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.PostAsJsonAsync("api/enrol", new { code = "nonsense-code" })).StatusCode);
    }

    [Fact]
    public async Task An_enrolment_link_expires_after_the_configured_days_and_links_use_the_public_base_url()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Pipeline:EnrolmentDays"] = "3",
            ["Pipeline:PublicBaseUrl"] = "https://report.example.gov.cn/",
        });
        using var admin = host.AdminClient();
        var issued = await JsonAsync(await admin.PostAsJsonAsync("api/tokens", new { role = "official", scope = "623023", label = "舟曲" }));
        var link = issued.GetProperty("link").GetString()!;
        Assert.StartsWith("https://report.example.gov.cn/api/console#enrol=", link, StringComparison.Ordinal);
        Assert.Equal(PipelineHost.DefaultNow.AddDays(3), issued.GetProperty("linkExpiresAt").GetDateTimeOffset());

        host.Time.Advance(TimeSpan.FromDays(3));
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.PostAsJsonAsync("api/enrol", new { code = CodeOf(link) })).StatusCode);
    }

    [Fact]
    public async Task Officials_stay_within_their_scope_and_role_when_issuing_listing_and_revoking()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        var (_, county) = await host.IssueTokenAsync("official", "623023");
        var (_, otherCounty) = await host.IssueTokenAsync("official", "623025");
        var (prefectureId, _) = await host.IssueTokenAsync("official", "623000");
        using var official = host.Client(county, "en");
        using var other = host.Client(otherCounty);

        Assert.Equal(HttpStatusCode.Forbidden, (await official.PostAsJsonAsync("api/tokens", new { role = "official", scope = "623023" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = "623025100" })).StatusCode);
        var badPhone = await official.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = "623023101", contactPhone = "12345" });
        Assert.Equal(HttpStatusCode.BadRequest, badPhone.StatusCode);
        Assert.True((await JsonAsync(badPhone)).GetProperty("errors").TryGetProperty("contactPhone", out _));

        var issued = await JsonAsync(await official.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = "623023101", contactName = "才让", contactPhone = "0941-8211234" }));
        var id = issued.GetProperty("id").GetString()!;

        var listed = await JsonAsync(await official.GetAsync("api/tokens"));
        var raw = listed.GetRawText();
        Assert.Contains(listed.EnumerateArray(), t => t.GetProperty("id").GetString() == id && t.GetProperty("contactPhone").GetString() == "0941-8211234");
        Assert.All(listed.EnumerateArray(), t => Assert.StartsWith("623023", t.GetProperty("scope").GetString(), StringComparison.Ordinal));
        Assert.DoesNotContain("\"token\"", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", raw, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.GetAsync("api/tokens?scope=623025")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.GetAsync("api/tokens?scope=623000")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"api/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.DeleteAsync($"api/tokens/{prefectureId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await official.DeleteAsync($"api/tokens/{id}")).StatusCode);
        Assert.DoesNotContain((await JsonAsync(await official.GetAsync("api/tokens"))).EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        using var revoked = host.Client(issued.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("api/me")).StatusCode);
    }

    [Fact]
    public async Task Issuing_for_all_units_without_a_live_token_skips_the_ones_that_have_one()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        var (_, county) = await host.IssueTokenAsync("official", "623022");
        using var official = host.Client(county);
        Assert.Equal(HttpStatusCode.Created, (await official.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = "623022100" })).StatusCode);

        var all = await JsonAsync(await official.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = "623022", allWithoutToken = true }));
        var townships = (await JsonAsync(await host.Client().GetAsync("api/units"))).GetRawText();
        var scopes = all.EnumerateArray().Select(t => t.GetProperty("scope").GetString()!).ToList();
        Assert.DoesNotContain("623022100", scopes);
        Assert.NotEmpty(scopes);
        Assert.All(scopes, s => Assert.StartsWith("623022", s, StringComparison.Ordinal));
        Assert.All(all.EnumerateArray(), t => Assert.Contains("#enrol=", t.GetProperty("link").GetString(), StringComparison.Ordinal));
        Assert.Equal(scopes.Count, scopes.Distinct().Count());
        Assert.Contains("623022101", townships, StringComparison.Ordinal);

        var second = await JsonAsync(await official.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = "623022", allWithoutToken = true }));
        Assert.Equal(0, second.GetArrayLength());
    }

    [Fact]
    public async Task A_tokens_last_use_is_recorded_off_the_request_path()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        var (id, reporterToken) = await host.IssueTokenAsync("reporter", "623023102");
        var (_, county) = await host.IssueTokenAsync("official", "623023");
        using var official = host.Client(county);
        JsonElement Listed(JsonElement list) => list.EnumerateArray().Single(t => t.GetProperty("id").GetString() == id);
        Assert.False(Listed(await JsonAsync(await official.GetAsync("api/tokens"))).TryGetProperty("lastUsedAt", out _));

        using var reporter = host.Client(reporterToken);
        Assert.Equal(HttpStatusCode.OK, (await reporter.GetAsync("api/me")).StatusCode);
        JsonElement token = default;
        for (var i = 0; i < 100 && token.ValueKind != JsonValueKind.String; i++)
        {
            await Task.Delay(100);
            Listed(await JsonAsync(await official.GetAsync("api/tokens"))).TryGetProperty("lastUsedAt", out token);
        }

        Assert.Equal(PipelineHost.DefaultNow, token.GetDateTimeOffset());
    }
}
