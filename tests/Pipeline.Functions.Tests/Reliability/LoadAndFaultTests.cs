using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Azurite;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;
using Pipeline.Testing;
using Xunit.Abstractions;

namespace Pipeline.Functions.Tests.Reliability;

/// <summary>
/// Concurrent clients with replays and corrections while storage goes down and comes back: every acknowledged
/// report is stored, exactly once per revision; during the outage the answer is 503 with Retry-After and health
/// says so; batches accepted just before the outage complete after it, every row stored or rejected.
/// CI runs a short version; RELIABILITY_CLIENTS=200 RELIABILITY_SECONDS=60 runs the full one (docs/reliability.md).
/// </summary>
public sealed class LoadAndFaultTests(ITestOutputHelper output)
{
    private sealed record Ack(string UnitCode, string Date, int Revision, string Values);

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;

    [Fact]
    public async Task Nothing_acknowledged_is_lost_or_doubled_under_load_replays_and_an_outage()
    {
        var clients = Setting("RELIABILITY_CLIENTS", 24);
        var duration = TimeSpan.FromSeconds(Setting("RELIABILITY_SECONDS", 15));
        await using var azurite = new AzuriteProcess(RepositoryRoot.Path);
        await azurite.StartNewAsync();
        var logs = new LogCapture(); // an unexpected answer's cause, as the host logged it, goes into the failure message
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString, configure: b => b.Logging.AddProvider(logs));
        var townships = host.Services.GetRequiredService<UnitRegistry>().Townships;
        var today = host.Services.GetRequiredService<ReportingClock>().Today;
        string[] dates = [today.ToString("yyyy-MM-dd"), today.AddDays(-1).ToString("yyyy-MM-dd")];

        var acks = new ConcurrentBag<Ack>();
        var sent = new ConcurrentBag<Dictionary<string, object?>>();
        var statuses = new ConcurrentDictionary<(int Phase, int Status), int>();
        var phase = 0; // 0 before the outage, 1 from the stop until storage is back, 2 after
        var outage = false;
        var outageAnswers = new ConcurrentBag<(HttpStatusCode Status, bool RetryAfter)>();
        using var client = host.AdminClient();
        client.Timeout = TimeSpan.FromSeconds(30);

        var stopLoad = false;
        var load = Task.WhenAll(Enumerable.Range(0, clients).Select(async worker =>
        {
            var random = new Random(worker);
            while (!Volatile.Read(ref stopLoad))
            {
                Dictionary<string, object?> body;
                if (random.Next(20) == 0 && sent.TryPeek(out var earlier))
                {
                    body = earlier; // a phone replaying what it sent before
                }
                else
                {
                    var values = Reports.ValidValues();
                    values["returnees"] = random.Next(0, 1000);
                    values["fromEpidemicAreas"] = random.Next(0, 10);
                    values["fromHubei"] = 0;
                    body = Reports.Valid(unit: townships[random.Next(townships.Count)].Code, date: dates[random.Next(2)], values: values);
                }

                var inOutage = Volatile.Read(ref outage);
                HttpResponseMessage response;
                try
                {
                    response = await client.PostAsJsonAsync("api/reports", body);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    statuses.AddOrUpdate((Volatile.Read(ref phase), 0), 1, (_, n) => n + 1);
                    continue;
                }

                using (response)
                {
                    statuses.AddOrUpdate((Volatile.Read(ref phase), (int)response.StatusCode), 1, (_, n) => n + 1);
                    if (inOutage && Volatile.Read(ref outage))
                    {
                        outageAnswers.Add((response.StatusCode, response.Headers.RetryAfter is not null));
                    }

                    if (response.IsSuccessStatusCode)
                    {
                        var ack = await response.Content.ReadFromJsonAsync<JsonElement>();
                        acks.Add(new Ack((string)body["unitCode"]!, (string)body["reportDate"]!, ack.GetProperty("revision").GetInt32(), JsonSerializer.Serialize(body["values"])));
                        sent.Add(body);
                    }
                    else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(500)); // a client honouring Retry-After, shortened
                    }
                    else
                    {
                        var answer = await response.Content.ReadAsStringAsync();
                        var cause = logs.Lines.Where(l => l.Contains("answered 500", StringComparison.Ordinal)).LastOrDefault();
                        Assert.Fail($"unexpected {(int)response.StatusCode}: {answer}\nhost log: {cause}");
                    }
                }
            }
        }));

        // One unit-day corrected over and over through the whole run, the outage included (about 215 corrections
        // overflowed the unit's state row once): every correction is acknowledged, and checked below like the others.
        var corrections = Setting("RELIABILITY_CORRECTIONS", clients >= 200 ? 1000 : 250);
        var corrected = (Unit: townships[^1].Code, Date: dates[0]);
        var corrector = Task.Run(async () =>
        {
            for (var i = 1; i <= corrections; i++)
            {
                var body = Reports.WithReturnees(corrected.Unit, 2000 + i, $"correction-{i}", corrected.Date);
                while (true)
                {
                    try
                    {
                        using var response = await client.PostAsJsonAsync("api/reports", body);
                        if (response.IsSuccessStatusCode)
                        {
                            var ack = await response.Content.ReadFromJsonAsync<JsonElement>();
                            acks.Add(new Ack(corrected.Unit, corrected.Date, ack.GetProperty("revision").GetInt32(), JsonSerializer.Serialize(body["values"])));
                            break;
                        }

                        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"correction {i}: unexpected {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(500));
                }
            }
        });
        var correcting = System.Diagnostics.Stopwatch.StartNew();

        await Task.Delay(duration / 3);

        // Batches accepted just before storage goes down: they are queued or half processed when it stops.
        using var official = host.Client((await host.IssueTokenAsync("official", "623000")).Token);
        var batches = await OutageBatches.SubmitAsync(official, townships, dates, Setting("RELIABILITY_BATCHES", 4), seed: clients);
        await batches.WaitUntilStartedAsync(official);
        var atStop = await batches.StatusesAsync(official);
        Volatile.Write(ref phase, 1);
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await azurite.StopAsync();
        output.WriteLine($"storage stopped in {stopping.Elapsed.TotalSeconds:F1} s");
        Volatile.Write(ref outage, true);
        await Task.Delay(TimeSpan.FromSeconds(2));
        using (var health = await client.GetAsync("api/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.NotNull(health.Headers.RetryAfter);
            var report = await health.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("unavailable", report.GetProperty("status").GetString());
            Assert.Equal("unreachable", report.GetProperty("storage").GetString());
        }

        // At least 15 s down: longer than a batch run's own retries, so a run fails while storage is down and
        // cannot hand its message back either (the case that left batches stuck for the 10-minute invisibility).
        var outageLength = duration / 3 > TimeSpan.FromSeconds(15) ? duration / 3 : TimeSpan.FromSeconds(15);
        await Task.Delay(outageLength - TimeSpan.FromSeconds(2));
        Volatile.Write(ref outage, false);
        await azurite.StartAsync();
        Volatile.Write(ref phase, 2);
        var restarted = System.Diagnostics.Stopwatch.StartNew();
        var atRestart = await batches.StatusesAsync(official);
        await Task.Delay(duration / 3);
        Volatile.Write(ref stopLoad, true);
        await load;
        await corrector;
        output.WriteLine($"{corrections} corrections of {corrected.Unit} on {corrected.Date} acknowledged in {correcting.Elapsed.TotalSeconds:F0} s");

        output.WriteLine($"{clients} clients, {duration.TotalSeconds} s, storage down {outageLength.TotalSeconds} s; answers (phase 0 before, 1 outage, 2 after: status x count): {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key.Phase}/{s.Key.Status} x{s.Value}"))}; acknowledged: {acks.Count}; during outage: {outageAnswers.Count}");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/health")).StatusCode);
        Assert.NotEmpty(outageAnswers);
        Assert.All(outageAnswers, a => Assert.True(a.Status == HttpStatusCode.ServiceUnavailable && a.RetryAfter, $"{a.Status} during the outage"));

        var checkedKeys = 0;
        foreach (var key in acks.GroupBy(a => (a.UnitCode, a.Date)))
        {
            var stored = await client.GetFromJsonAsync<JsonElement>($"api/reports/{key.Key.Date}/{key.Key.UnitCode}/revisions");
            var revisions = stored.EnumerateArray()
                .Select(r => (Revision: r.GetProperty("revision").GetInt32(), Values: r.GetProperty("values")))
                .ToList();
            Assert.Equal(Enumerable.Range(1, revisions.Count), revisions.Select(r => r.Revision));
            foreach (var ack in key)
            {
                var match = revisions.SingleOrDefault(r => r.Revision == ack.Revision);
                Assert.True(match.Values.ValueKind == JsonValueKind.Object, $"acknowledged {ack} is not stored");
                Assert.Equal(JsonSerializer.Deserialize<Dictionary<string, decimal>>(ack.Values), JsonSerializer.Deserialize<Dictionary<string, decimal>>(match.Values.GetRawText()));
            }

            // A replay never doubles a revision: no revision repeats the one before it.
            for (var i = 1; i < revisions.Count; i++)
            {
                Assert.NotEqual(revisions[i - 1].Values.GetRawText(), revisions[i].Values.GetRawText());
            }

            checkedKeys++;
        }

        Assert.True(checkedKeys > 10, $"only {checkedKeys} (unit, day) pairs were acknowledged");
        var correctedRevisions = await client.GetFromJsonAsync<JsonElement>($"api/reports/{corrected.Date}/{corrected.Unit}/revisions");
        Assert.True(correctedRevisions.GetArrayLength() >= corrections, $"{correctedRevisions.GetArrayLength()} revisions of the corrected unit-day");

        // Every batch accepted before the outage completes after it, each row with its result, and every
        // accepted row's revision is stored with the row's values.
        var storedRows = await batches.VerifyAsync(official, TimeSpan.FromMinutes(4));
        output.WriteLine($"batches: {batches.Count} ({batches.Rows} rows) accepted before the outage; status when storage stopped: {string.Join(", ", atStop)}; " +
            $"when it came back: {string.Join(", ", atRestart)}; all completed by {restarted.Elapsed.TotalSeconds:F0} s after the restart, {storedRows} accepted rows read back with their values");

        // The rollup's totals equal the sum of the final values of every stored report.
        foreach (var date in dates)
        {
            (await client.PostAsync($"api/rollups/{date}", null)).EnsureSuccessStatusCode();
            var rollup = await client.GetFromJsonAsync<JsonElement>($"api/rollups/{date}/files/rollup.json");
            var expected = 0m;
            foreach (var township in townships)
            {
                using var current = await client.GetAsync($"api/reports/{date}/{township.Code}");
                if (current.StatusCode == HttpStatusCode.OK)
                {
                    expected += (await current.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("values").GetProperty("returnees").GetDecimal();
                }
            }

            Assert.Equal(expected, rollup.GetProperty("totals").GetProperty("returnees").GetDecimal());
        }
    }
}
