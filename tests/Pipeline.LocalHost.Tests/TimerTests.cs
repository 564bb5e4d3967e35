using System.Net;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.LocalHost.Tests;

[Collection(RollupAzuriteCollection.Name)]
public sealed class TimerTests(AzuriteFixture azurite)
{
    [Fact]
    public void Discovery_finds_the_timer_triggers_of_functions_metadata_with_their_schedules()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var metadata = (from function in document.RootElement.EnumerateArray()
                        from binding in function.GetProperty("bindings").EnumerateArray()
                        where binding.GetProperty("type").GetString() == "timerTrigger"
                        select (function.GetProperty("name").GetString()!, binding.GetProperty("schedule").GetString()!)).ToList();
        var discovered = FunctionDiscovery.TimerFunctions(typeof(Pipeline.Functions.FunctionsServiceCollectionExtensions).Assembly)
            .Select(t => (t.Name, t.Schedule)).ToList();
        Assert.Equal([("BuildDailyRollup", "%Pipeline:RollupSchedule%"), ("SendReminders", "0 * * * * *")], discovered.Order());
        Assert.Equal(metadata.Order(), discovered.Order());
    }

    [Fact]
    public async Task The_schedule_fires_when_its_time_comes_and_an_admin_can_fire_it_now()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Pipeline:RollupSchedule"] = "0 0 5 * * *", // 13:00 in Shanghai, an hour after the pinned clock
        });
        using var admin = host.AdminClient();
        var (_, reporterToken) = await host.IssueTokenAsync("reporter", "623024100");
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client(reporterToken).PostAsync("admin/functions/BuildDailyRollup", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("admin/functions/NoSuchFunction", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("admin/functions/BuildDailyRollup", null)).StatusCode);
        await WaitForRollupAsync(admin, "2026-11-26");

        // A day later (and after the schedule's 05:00 UTC), the schedule builds the new yesterday.
        await Task.Delay(500); // let the listener take its lease and start waiting
        host.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1.5));
        await WaitForRollupAsync(admin, "2026-11-27");
    }

    private static async Task WaitForRollupAsync(HttpClient admin, string date)
    {
        for (var i = 0; i < 150; i++)
        {
            if ((await admin.GetAsync($"api/rollups/{date}")).StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"no rollup of {date} was built");
    }
}
