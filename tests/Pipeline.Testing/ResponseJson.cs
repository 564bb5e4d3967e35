using System.Net.Http.Json;
using System.Text.Json;

namespace Pipeline.Testing;

/// <summary>The body of an answer the test expects to succeed (<c>using static</c>: <c>await Json(await client.GetAsync(...))</c>).</summary>
public static class ResponseJson
{
    /// <summary>The answer's JSON body; a failure shows its status and body.</summary>
    public static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
