using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pipeline.Functions.Tests.Batches;

/// <summary>Waits for a batch the local host's queue runner is processing.</summary>
internal static class BatchPolling
{
    /// <summary>The batch's status document once it is <c>completed</c>; fails the test after <paramref name="timeout"/> (60 s).</summary>
    public static async Task<JsonElement> CompletedAsync(HttpClient client, string statusUrl, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var status = await client.GetFromJsonAsync<JsonElement>(statusUrl.TrimStart('/'));
            if (status.GetProperty("status").GetString() == "completed")
            {
                return status;
            }

            Assert.True(watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(60)), $"the batch did not complete: {status.GetProperty("status")}");
            await Task.Delay(200);
        }
    }
}
