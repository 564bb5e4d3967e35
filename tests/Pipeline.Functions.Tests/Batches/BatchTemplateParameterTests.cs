using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Batches;

/// <summary>
/// The template route exists whatever its query says, so a bad <c>date</c> or <c>scope</c> is a 400 that names the
/// parameter and what is wrong with it (as a bad date in a route is), never a bare 404.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchTemplateParameterTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    [Theory]
    [InlineData("api/templates/batch.csv?scope=623024&date=2026-13-01", "date", "2026-13-01", "yyyy-MM-dd")]
    [InlineData("api/templates/batch.csv?scope=623024&date=27.11.2026", "date", "27.11.2026", "yyyy-MM-dd")]
    [InlineData("api/templates/batch.csv?scope=623024&date=2026-11-31", "date", "2026-11-31", "does not exist")]
    [InlineData("api/templates/batch.csv?scope=999999&date=2026-11-26", "scope", "999999", "no unit")]
    [InlineData("api/templates/batch.csv?scope=abc", "scope", "abc", "no unit")]
    public async Task A_bad_parameter_is_a_400_naming_it(string route, string parameter, string value, string says)
    {
        using var admin = Host.Client(Host.AdminToken, "en");
        var response = await admin.GetAsync(route);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal([parameter], errors.EnumerateObject().Select(p => p.Name));
        var message = errors.GetProperty(parameter)[0].GetString()!;
        Assert.Contains(value, message);
        Assert.Contains(says, message);
    }

    [Fact]
    public async Task The_message_is_Chinese_by_default()
    {
        using var admin = Host.AdminClient();
        var response = await admin.GetAsync("api/templates/batch.csv?scope=999999");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("没有代码为 999999 的单位", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("scope")[0].GetString());
    }
}
