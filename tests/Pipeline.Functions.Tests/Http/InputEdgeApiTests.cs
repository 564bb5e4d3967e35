using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Http;

/// <summary>The input edges of issue 13 item 9 over HTTP.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class InputEdgeApiTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    [Theory]
    [InlineData("reporter, admin")]
    [InlineData("Reporter,Admin")]
    [InlineData("official, admin")]
    public async Task A_token_role_that_lists_several_roles_is_a_400_not_an_admin_token(string role)
    {
        using var admin = Host.AdminClient();
        var response = await admin.PostAsJsonAsync("api/tokens", new { role, scope = "623024100", label = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("role", out _));
    }

    [Theory]
    [InlineData("en", "The token request did not pass validation")]
    [InlineData(null, "令牌申请未通过校验")]
    public async Task A_refused_token_request_is_not_called_a_report(string? language, string title)
    {
        using var admin = Host.Client(Host.AdminToken, language);
        var response = await admin.PostAsJsonAsync("api/tokens", new { role = "boss", scope = "623024100" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(title, problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Rollups_to_a_day_without_from_list_the_month_up_to_it()
    {
        using var admin = Host.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("api/rollups/2026-10-15", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("api/rollups/2026-09-01", null)).StatusCode);

        var response = await admin.GetAsync("api/rollups?to=2026-10-20");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["2026-10-15"], list.EnumerateArray().Select(m => m.GetProperty("date").GetString()));
    }
}
