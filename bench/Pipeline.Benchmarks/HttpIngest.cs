using System.Net.Http.Json;
using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>
/// Reports posted through the local Functions host by concurrent clients, as phones would: each a new (unit, day)
/// until every township has reported every day of the correction window, corrections after that. Runs continue
/// where the last one stopped, so a warm-up run leaves new reports for the measured one.
/// </summary>
public sealed class HttpIngest(HttpClient client, UnitRegistry units, DateOnly today, int windowDays)
{
    private long issued = -1;

    public Task<Measurement> RunAsync(int concurrency, TimeSpan duration) =>
        Measurement.RunAsync($"HTTP ingest via local host (N={concurrency})", concurrency, duration, async _ =>
        {
            var i = Interlocked.Increment(ref issued);
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
