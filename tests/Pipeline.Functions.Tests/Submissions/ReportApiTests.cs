using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Submissions;

/// <summary>The walking skeleton as a user tries it: tokens, submit, replay, correct, read back, refusals.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReportApiTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task Submit_replay_correct_and_read_back_the_revisions()
    {
        var (_, token) = await Host.IssueTokenAsync("reporter", "623024102");
        using var reporter = Host.Client(token);
        var report = Reports.Valid(unit: "623024102");

        var created = await reporter.PostAsync(report);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await Json(created);
        Assert.Equal(1, first.GetProperty("revision").GetInt32());
        Assert.Matches("^[0-9A-Z]{5}-[0-9A-Z]{5}$", first.GetProperty("receipt").GetString());
        Assert.False(first.GetProperty("late").GetBoolean());
        Assert.Equal("/api/reports/2026-11-27/623024102", created.Headers.Location!.OriginalString);

        var replay = await reporter.PostAsync(report);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var replayed = await Json(replay);
        Assert.Equal(1, replayed.GetProperty("revision").GetInt32());
        Assert.Equal(first.GetProperty("receipt").GetString(), replayed.GetProperty("receipt").GetString());

        var sameContentNewId = Reports.Valid(unit: "623024102");
        var identical = await reporter.PostAsync(sameContentNewId);
        Assert.Equal(HttpStatusCode.OK, identical.StatusCode);
        Assert.Equal("unchanged", (await Json(identical)).GetProperty("outcome").GetString());

        var corrected = await reporter.PostAsync(Reports.WithReturnees("623024102", 13));
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal(2, (await Json(corrected)).GetProperty("revision").GetInt32());

        var revisions = await Json(await reporter.GetAsync("api/reports/2026-11-27/623024102/revisions"));
        Assert.Equal([1, 2], revisions.EnumerateArray().Select(r => r.GetProperty("revision").GetInt32()));
        Assert.Equal(12, revisions[0].GetProperty("values").GetProperty("returnees").GetInt32());

        var current = await Json(await reporter.GetAsync("api/reports/2026-11-27/623024102"));
        Assert.Equal(2, current.GetProperty("revision").GetInt32());
        Assert.Equal(13, current.GetProperty("values").GetProperty("returnees").GetInt32());
        Assert.Equal(0, current.GetProperty("values").GetProperty("feverReferred").GetInt32());
        Assert.False(current.GetProperty("values").TryGetProperty("fromWuhan", out _), "a value left out must be absent, not 0");
        Assert.Equal("卓玛", current.GetProperty("reporter").GetProperty("name").GetString());
    }

    [Fact]
    public async Task One_400_names_every_failing_field_in_chinese_by_default_and_in_english_on_request()
    {
        var (_, token) = await Host.IssueTokenAsync("reporter", "623024103");
        var values = Reports.ValidValues();
        values["fromWuhan"] = 5;
        values["fromHubei"] = 1;
        values["notAnIndicator"] = 1;
        var body = Reports.Valid(unit: "623024103", date: "2026-11-28", values: values);

        using var zh = Host.Client(token);
        var response = await zh.PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await Json(response)).GetProperty("errors");
        Assert.Equal(["reportDate", "values.fromWuhan", "values.notAnIndicator"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("武汉流入人员（5）不能大于湖北流入人员（1）", errors.GetProperty("values.fromWuhan")[0].GetString());

        using var en = Host.Client(token, "en-US,en;q=0.9");
        var english = (await Json(await en.PostAsync(body))).GetProperty("errors");
        Assert.Equal("Arrivals from Wuhan (5) cannot exceed Arrivals from Hubei (1)", english.GetProperty("values.fromWuhan")[0].GetString());
        Assert.Contains("after today", english.GetProperty("reportDate")[0].GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await zh.GetAsync("api/reports/2026-11-28/623024103")).StatusCode);
    }

    [Theory]
    [InlineData("api/reports/2026-13-01/623024103")]
    [InlineData("api/reports/2026-13-01/623024103/revisions")]
    [InlineData("api/completeness/2026-13-01")]
    [InlineData("api/board/2026-13-01")]
    [InlineData("api/rollups/2026-13-01")]
    [InlineData("api/rollups/2026-13-01/files/x.csv")]
    public async Task An_invalid_date_in_a_url_is_a_400_naming_the_date(string route)
    {
        using var admin = Host.AdminClient();
        var response = await admin.GetAsync(route);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var message = (await Json(response)).GetProperty("errors").GetProperty("date")[0].GetString();
        Assert.Contains("2026-13-01", message);
        Assert.Contains("yyyy-MM-dd", message);
    }

    [Fact]
    public async Task A_date_in_a_url_that_does_not_exist_is_told_so_not_that_its_format_is_wrong()
    {
        using var admin = Host.Client(Host.AdminToken, "en");
        var response = await admin.GetAsync("api/completeness/2026-11-31");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await Json(response)).GetProperty("errors").GetProperty("date")[0].GetString();
        Assert.Contains("2026-11-31", message);
        Assert.Contains("does not exist", message);
        Assert.DoesNotContain("yyyy-MM-dd", message);
    }

    [Fact]
    public async Task Wrong_types_and_unknown_fields_are_named_not_crashed_on()
    {
        var (_, token) = await Host.IssueTokenAsync("reporter", "623024104");
        using var client = Host.Client(token, "en");
        var json = """{"unitCode":623024104,"reportDate":"2026-11-27","values":{"returnees":"12","fromEpidemicAreas":3,"homeQuarantine":3,"feverReferred":0},"extra":true}""";
        var response = await client.PostAsync("api/reports", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors");
        Assert.Equal(["extra", "unitCode", "values.returnees"], errors.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Tokens_decide_who_may_report_for_which_unit()
    {
        var (_, token) = await Host.IssueTokenAsync("reporter", Reports.Unit);
        using var reporter = Host.Client(token);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.PostAsync(Reports.Valid(unit: Reports.OtherUnit))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync($"api/reports/{Reports.Today}/{Reports.OtherUnit}")).StatusCode);

        using var anonymous = Host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(Reports.Valid())).StatusCode);
        using var forged = Host.Client("pt_0123456789abcdef_forged");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.PostAsync(Reports.Valid())).StatusCode);

        var (_, county) = await Host.IssueTokenAsync("official", "623024");
        using var official = Host.Client(county);
        Assert.Equal(HttpStatusCode.Created, (await official.PostAsync(Reports.Valid(unit: "623024201"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.PostAsync(Reports.Valid(unit: "623025100"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await official.GetAsync("api/reports/2026-11-27/623024201")).StatusCode);

        // Only admin issues tokens, and a reporter's token is not an admin's.
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.PostAsJsonAsync("api/tokens", new { role = "admin", scope = "623000" })).StatusCode);
    }

    [Fact]
    public async Task A_revoked_token_stops_working_and_tokens_in_urls_are_refused()
    {
        var (id, token) = await Host.IssueTokenAsync("reporter", "623024202");
        using var reporter = Host.Client(token);
        Assert.Equal(HttpStatusCode.Created, (await reporter.PostAsync(Reports.Valid(unit: "623024202"))).StatusCode);

        using var admin = Host.AdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"api/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await reporter.PostAsync(Reports.Valid(unit: "623024202"))).StatusCode);

        using var anonymous = Host.Client();
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync($"api/reports/2026-11-27/623024202?access_token={token}")).StatusCode);
    }

    [Fact]
    public async Task Token_scopes_must_fit_their_roles()
    {
        using var admin = Host.AdminClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = "623024" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("api/tokens", new { role = "official", scope = "623024100" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("api/tokens", new { role = "root", scope = "623000" })).StatusCode);
        var issued = await admin.PostAsJsonAsync("api/tokens", new { role = "official", scope = "623000", label = "州疫情防控指挥部" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.StartsWith("pt_", (await Json(issued)).GetProperty("token").GetString());
    }

    [Fact]
    public async Task Oversized_and_non_json_bodies_are_refused_before_parsing()
    {
        var (_, token) = await Host.IssueTokenAsync("reporter", "623024203");
        using var client = Host.Client(token);
        var huge = new StringContent("{\"notes\":\"" + new string('x', 70 * 1024) + "\"}", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync("api/reports", huge)).StatusCode);
        var form = new StringContent("unitCode=623024203", Encoding.UTF8, "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync("api/reports", form)).StatusCode);
        var broken = new StringContent("{\"unitCode\":", Encoding.UTF8, "application/json");
        var malformed = await client.PostAsync("api/reports", broken);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_report_after_the_deadline_is_marked_late()
    {
        var (_, token) = await Host.IssueTokenAsync("reporter", "623024205");
        using var client = Host.Client(token);
        Host.Time.AdjustTime(new DateTimeOffset(2026, 11, 27, 14, 30, 0, TimeSpan.Zero)); // 22:30 in Shanghai
        try
        {
            var response = await client.PostAsync(Reports.Valid(unit: "623024205"));
            Assert.True((await Json(response)).GetProperty("late").GetBoolean());
        }
        finally
        {
            Host.Time.AdjustTime(PipelineHost.DefaultNow);
        }
    }

    [Fact]
    public async Task Soft_rules_warn_from_the_units_history_without_blocking()
    {
        var (_, token) = await Host.IssueTokenAsync("reporter", "623024206");
        using var client = Host.Client(token, "en");
        var values = Reports.ValidValues();
        values["homeQuarantine"] = 20;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(Reports.Valid(unit: "623024206", date: "2026-11-26", values: values))).StatusCode);
        values["homeQuarantine"] = 50;
        var response = await client.PostAsync(Reports.Valid(unit: "623024206", values: values));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var warning = Assert.Single((await Json(response)).GetProperty("warnings").EnumerateArray());
        Assert.Equal("homeQuarantine", warning.GetProperty("indicator").GetString());
        Assert.Equal("stockJump", warning.GetProperty("rule").GetString());
        Assert.Contains("Under home quarantine", warning.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Units_indicators_and_health_answer_anyone()
    {
        using var client = Host.Client();
        var units = await Json(await client.GetAsync("api/units"));
        Assert.Equal("623000", units.GetProperty("code").GetString());
        Assert.Equal(8, units.GetProperty("children").GetArrayLength());
        Assert.Equal(102, units.GetProperty("children").EnumerateArray().Sum(c => c.GetProperty("children").GetArrayLength()));
        var catalogue = await Json(await client.GetAsync("api/indicators"));
        Assert.Equal(33, catalogue.GetProperty("indicators").GetArrayLength());
        Assert.Equal("money", catalogue.GetProperty("indicators")[31].GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/health")).StatusCode);
    }

    [Fact]
    public async Task The_report_shape_is_published_to_anyone_with_rules_and_messages()
    {
        using var client = Host.Client();
        var response = await client.GetAsync("api/report-shape");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shape = await Json(response);
        Assert.Equal(6, shape.GetProperty("fields").GetArrayLength());
        Assert.Equal(33, shape.GetProperty("indicators").GetArrayLength());
        Assert.Equal(4, shape.GetProperty("rules").GetArrayLength());
        Assert.Equal("{0}（{1}）不能大于{2}（{3}）", shape.GetProperty("messages").GetProperty("exceedsSum").GetProperty("zh").GetString());
    }
}
