using System.Net;
using System.Net.Http.Json;
using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>
/// Reports posted through the local Functions host by concurrent clients, as phones would: each a new (unit, day)
/// until every township has reported every day of the correction window, corrections after that. Runs continue
/// where the last one stopped, so a warm-up run leaves new reports for the measured one.
/// A 503 with Retry-After (a write that lost to other writers of its unit on every attempt, or storage past the
/// request's deadline) is what a phone waits out and sends again with the same submission id: the client does the
/// same, the wait counts in the report's latency, and the run's note says how many such answers came.
/// </summary>
public sealed class HttpIngest(HttpClient client, UnitRegistry units, DateOnly today, int windowDays)
{
    /// <summary>Sends of one report before the run gives up on it (a phone's user would have by then too).</summary>
    public const int MaxSends = 5;

    private long issued = -1;
    private long resent;

    /// <summary>503 + Retry-After answers in the last run, each waited out and the report sent again.</summary>
    public long Resent => Interlocked.Read(ref resent);

    public async Task<Measurement> RunAsync(int concurrency, TimeSpan duration)
    {
        Interlocked.Exchange(ref resent, 0);
        var run = await Measurement.RunAsync($"HTTP ingest via local host (N={concurrency})", concurrency, duration, async _ =>
        {
            var i = Interlocked.Increment(ref issued);
            var township = units.Townships[(int)(i % units.Townships.Count)];
            var date = today.AddDays(-(int)(i / units.Townships.Count % (windowDays + 1)));
            var report = new
            {
                unitCode = township.Code,
                reportDate = date.ToString("yyyy-MM-dd"),
                submissionId = $"bench-{i}",
                values = new Dictionary<string, long>
                {
                    ["returnees"] = 10 + i % 7, ["fromEpidemicAreas"] = 3, ["fromHubei"] = 1, ["homeQuarantine"] = 5,
                    ["feverReferred"] = i % 2, ["temperatureChecks"] = 100 + i, ["vehiclesChecked"] = 20, ["personsChecked"] = 40,
                },
            };
            for (var send = 1; ; send++)
            {
                using var response = await client.PostAsJsonAsync("api/reports", report);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && RetryAfter(response) is { } wait && send < MaxSends)
                {
                    Interlocked.Increment(ref resent);
                    await Task.Delay(wait);
                    continue;
                }

                throw new InvalidOperationException($"Ingest answered {(int)response.StatusCode} (send {send} of bench-{i}): {await response.Content.ReadAsStringAsync()}");
            }
        });
        return run;
    }

    /// <summary>The wait a 503 asks for (delta seconds or a date); null without the header.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } at } => at - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
        _ => null,
    };
}
