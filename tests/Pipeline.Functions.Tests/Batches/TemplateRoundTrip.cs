using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Reporting.Units;

namespace Pipeline.Functions.Tests.Batches;

/// <summary>The end of a county's template round trip, whatever the file: two townships filled in, only those two stored.</summary>
internal static class TemplateRoundTrip
{
    /// <summary>Uploads a template with its 1st and 3rd townships (sheet or file lines 2 and 4) filled in and checks that only they are stored.</summary>
    public static async Task UploadsTheFirstAndThirdAsync(HttpClient official, HttpContent upload, IReadOnlyList<AdminUnit> townships, string day)
    {
        var accepted = await official.PostAsync("api/reports/batch", upload);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var batch = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, batch.GetProperty("rows").GetInt32());

        var status = await BatchPolling.CompletedAsync(official, batch.GetProperty("statusUrl").GetString()!);
        var results = status.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([(2, "created"), (4, "created")], results.Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("outcome").GetString())));
        Assert.Equal(HttpStatusCode.OK, (await official.GetAsync($"api/reports/{day}/{townships[0].Code}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await official.GetAsync($"api/reports/{day}/{townships[2].Code}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await official.GetAsync($"api/reports/{day}/{townships[1].Code}")).StatusCode);
    }
}
