using System.Net.Http.Json;
using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>Reports posted through the local Functions host by concurrent clients, as phones would.</summary>
public sealed class HttpIngest(HttpClient client, UnitRegistry units, DateOnly today, int windowDays)
{
    public Task<Measurement> RunAsync(int concurrency, TimeSpan duration) =>
        Measurement.RunAsync($"HTTP ingest via local host (N={concurrency})", concurrency, duration, async i =>
        {
            var township = units.Townships[(int)(i % units.Townships.Count)];
            var date = today.AddDays(-(int)(i / units.Townships.Count % (windowDays + 1)));
            var response = await client.PostAsJsonAsync("api/reports", new
            {
                unitCode = township.Code,
                reportDate = date.ToString("yyyy-MM-dd"),
                submissionId = $"bench-{i}",
                values = new Dictionary<string, long>
                {
                    ["returnees"] = 10 + i % 7, ["fromEpidemicAreas"] = 3, ["fromHubei"] = 1, ["homeQuarantine"] = 5,
                    ["feverReferred"] = i % 2, ["temperatureChecks"] = 100 + i, ["vehiclesChecked"] = 20, ["personsChecked"] = 40,
                },
            });
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        });
}
