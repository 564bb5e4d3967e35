using System.Net.Http.Json;

namespace Pipeline.Testing;

/// <summary>Report bodies for tests: a valid one, and variations of it.</summary>
public static class Reports
{
    public const string Unit = "623024100";
    public const string OtherUnit = "623024101";
    public const string Today = "2026-11-27";

    public static Dictionary<string, object?> Valid(string unit = Unit, string date = Today, string? submissionId = null, Dictionary<string, object?>? values = null) => new()
    {
        ["unitCode"] = unit,
        ["reportDate"] = date,
        ["submissionId"] = submissionId ?? Guid.NewGuid().ToString(),
        ["values"] = values ?? ValidValues(),
        ["notes"] = "",
        ["reporter"] = new Dictionary<string, object?> { ["name"] = "卓玛", ["phone"] = "13800138000" },
    };

    /// <summary>A valid report told apart from the unit's others by its returnees (a correction when they differ).</summary>
    public static Dictionary<string, object?> WithReturnees(string unit, int returnees, string? submissionId = null, string date = Today)
    {
        var values = ValidValues();
        values["returnees"] = returnees;
        return Valid(unit: unit, date: date, submissionId: submissionId, values: values);
    }

    public static Dictionary<string, object?> ValidValues() => new()
    {
        ["returnees"] = 12,
        ["fromEpidemicAreas"] = 3,
        ["fromHubei"] = 1,
        ["homeQuarantine"] = 3,
        ["feverReferred"] = 0,
    };

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, object body) =>
        client.PostAsJsonAsync("api/reports", body);

    /// <summary>Posts a report that the test needs stored: an answer other than 2xx fails the test with its body.</summary>
    public static async Task SubmitAsync(this HttpClient client, object body)
    {
        using var response = await client.PostAsync(body);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
