using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Officials;

/// <summary>The console's board: who reported, who is missing and whom to call, exemptions, reports phoned in.</summary>
[Collection(ConsoleAzuriteCollection.Name)]
public sealed class BoardApiTests(AzuriteFixture azurite)
{
    private const string County = "623026";
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static JsonElement Unit(JsonElement board, string code) =>
        board.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("code").GetString() == code);

    [Fact]
    public async Task The_board_lists_missing_units_first_with_contacts_counts_exemptions_and_reports_entered_by_officials()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        var (_, countyToken) = await host.IssueTokenAsync("official", County);
        var (_, otherToken) = await host.IssueTokenAsync("official", "623027");
        using var official = host.Client(countyToken);
        using var other = host.Client(otherToken);
        Assert.Equal(HttpStatusCode.Created, (await official.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = "623026101", contactName = "扎西", contactPhone = "13900000011" })).StatusCode);

        var phoned = Reports.Valid(unit: "623026100");
        phoned["reporter"] = new Dictionary<string, object?> { ["name"] = "电话报送人", ["phone"] = "13900000010" };
        Assert.Equal(HttpStatusCode.Created, (await official.PostAsync(phoned)).StatusCode);
        var (_, reporter) = await host.IssueTokenAsync("reporter", "623026102");
        using (var own = host.Client(reporter))
        {
            Assert.Equal(HttpStatusCode.Created, (await own.PostAsync(Reports.Valid(unit: "623026102"))).StatusCode);
        }

        var exempt = await official.PostAsJsonAsync("api/exemptions", new { unitCode = "623026104", from = "2026-11-27", to = "2026-11-28", reason = "牧场转场" });
        Assert.Equal(HttpStatusCode.Created, exempt.StatusCode);

        var first = await official.GetAsync("api/board/2026-11-27");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var board = await JsonAsync(first);
        Assert.Equal(County, board.GetProperty("scope").GetString());
        var total = board.GetProperty("total");
        Assert.Equal((6, 2, 2, 0, 4, 1), (total.GetProperty("expected").GetInt32(), total.GetProperty("reported").GetInt32(),
            total.GetProperty("onTime").GetInt32(), total.GetProperty("late").GetInt32(), total.GetProperty("missing").GetInt32(), total.GetProperty("exempt").GetInt32()));
        var statuses = board.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("status").GetString()).ToList();
        Assert.Equal(["missing", "missing", "missing", "missing", "onTime", "onTime", "exempt"], statuses);
        var tokenContact = Unit(board, "623026101");
        Assert.Equal(("missing", "扎西", "13900000011", "token"), (tokenContact.GetProperty("status").GetString(), tokenContact.GetProperty("contactName").GetString(),
            tokenContact.GetProperty("contactPhone").GetString(), tokenContact.GetProperty("contactSource").GetString()));
        var phonedIn = Unit(board, "623026100");
        Assert.Equal(("official", "13900000010", 1), (phonedIn.GetProperty("enteredBy").GetString(), phonedIn.GetProperty("contactPhone").GetString(), phonedIn.GetProperty("revision").GetInt32()));
        Assert.Equal("牧场转场", Unit(board, "623026104").GetProperty("exemption").GetProperty("reason").GetString());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "api/board/2026-11-27");
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await official.SendAsync(conditional)).StatusCode);

        host.Time.Advance(TimeSpan.FromHours(11));
        Assert.Equal(HttpStatusCode.Created, (await official.PostAsync(Reports.Valid(unit: "623026103"))).StatusCode);
        using var again = new HttpRequestMessage(HttpMethod.Get, "api/board/2026-11-27");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var changed = await official.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("late", Unit(await JsonAsync(changed), "623026103").GetProperty("status").GetString());

        var completeness = await JsonAsync(await official.GetAsync("api/completeness/2026-11-27?scope=623026"));
        Assert.Equal((6, 1), (completeness.GetProperty("expected").GetInt32(), completeness.GetProperty("exempt").GetInt32()));
        Assert.DoesNotContain(completeness.GetProperty("missing").EnumerateArray(), m => m.GetProperty("code").GetString() == "623026104");

        var revisions = await JsonAsync(await official.GetAsync("api/reports/2026-11-27/623026100/revisions"));
        Assert.Equal("official", revisions[0].GetProperty("enteredBy").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"api/board/2026-11-27?scope={County}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("api/exemptions", new { unitCode = "623026202", from = "2026-11-27", reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync("api/exemptions/623026104/2026-11-27")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("api/board/2026-11-27")).StatusCode);
    }

    [Fact]
    public async Task An_exemption_needs_a_township_a_valid_range_and_a_reason_and_can_be_removed()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        var (_, countyToken) = await host.IssueTokenAsync("official", "623001");
        using var official = host.Client(countyToken, "en");

        var bad = await official.PostAsJsonAsync("api/exemptions", new { unitCode = "623001", from = "2026-11-27", to = "2026-11-20", reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await JsonAsync(bad)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("unitCode", out _) && errors.TryGetProperty("to", out _) && errors.TryGetProperty("reason", out _), errors.GetRawText());
        var old = await official.PostAsJsonAsync("api/exemptions", new { unitCode = "623001001", from = "2026-11-01", reason = "late" });
        Assert.True((await JsonAsync(old)).GetProperty("errors").TryGetProperty("from", out _));

        Assert.Equal(HttpStatusCode.Created, (await official.PostAsJsonAsync("api/exemptions", new { unitCode = "623001001", from = "2026-11-27", reason = "summer pastures" })).StatusCode);
        var listed = await JsonAsync(await official.GetAsync("api/exemptions"));
        Assert.Contains(listed.EnumerateArray(), e => e.GetProperty("unitCode").GetString() == "623001001" && e.GetProperty("to").GetString() == "2026-11-27");
        Assert.Equal(HttpStatusCode.NoContent, (await official.DeleteAsync("api/exemptions/623001001/2026-11-27")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await official.DeleteAsync("api/exemptions/623001001/2026-11-27")).StatusCode);
        var board = await JsonAsync(await official.GetAsync("api/board/2026-11-27"));
        Assert.Equal(0, board.GetProperty("total").GetProperty("exempt").GetInt32());
    }
}
