using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Submissions;

/// <summary>
/// What the tests of the instance's cache of units' state rows send and expect (<see cref="StorageRequestCountTests"/>,
/// <see cref="Reliability.TwoInstanceTests"/>, <see cref="Reliability.ContentionTests"/>), besides their reports (<see cref="Reports.WithReturnees"/>): the revision
/// an answer names, and the table requests as <see cref="StorageRequestCounter"/> notes them.
/// </summary>
internal static class StateCacheReports
{
    /// <summary>An entity-group transaction: a report's write.</summary>
    public const string Transaction = "POST /devstoreaccount1/$batch";

    /// <summary>The point read of a unit's state row.</summary>
    public static string StateRead(string unit) => $"GET /devstoreaccount1/countyreports(PartitionKey='{unit[..6]}',RowKey='u_{unit}')";

    /// <summary>The revisions of <paramref name="unit"/>'s report of <see cref="Reports.Today"/> as stored, oldest first: each one's number and returnees.</summary>
    public static async Task<List<(int Revision, int Returnees)>> StoredAsync(HttpClient client, string unit)
    {
        var stored = await client.GetFromJsonAsync<JsonElement>($"api/reports/{Reports.Today}/{unit}/revisions");
        return stored.EnumerateArray()
            .Select(r => (r.GetProperty("revision").GetInt32(), r.GetProperty("values").GetProperty("returnees").GetInt32()))
            .ToList();
    }

    /// <summary>The revision a report's answer names; the answer must be <paramref name="expected"/>, or any 2xx when null.</summary>
    public static async Task<int> RevisionOfAsync(HttpResponseMessage response, HttpStatusCode? expected = null)
    {
        Assert.True(
            expected is null ? response.IsSuccessStatusCode : response.StatusCode == expected,
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32();
    }
}
