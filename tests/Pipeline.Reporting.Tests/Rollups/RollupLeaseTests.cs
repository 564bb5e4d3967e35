using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Rollups;
using Pipeline.Testing;

namespace Pipeline.Reporting.Tests.Rollups;

/// <summary>The build lease outlives a slow build: a second build of the day waits for the first, however long it takes.</summary>
// Not in the rollup collection: this day's totals must not enter the cumulative figures those tests compute.
[Collection(AzuriteCollection.Name)]
public sealed class RollupLeaseTests(AzuriteFixture azurite)
{
    /// <summary>
    /// A renderer that holds the first build until the test lets it go, and counts builds rendering at once: one build
    /// renders its areas side by side but each area once, so two renders of one area at once are two builds.
    /// </summary>
    private sealed class SlowRenderer : IRollupRenderer
    {
        private readonly Dictionary<string, int> inside = [];

        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public int MostAtOnce { get; private set; }

        public RenderedFile Render(RollupDocument rollup)
        {
            var area = rollup.Scope.Code;
            lock (inside)
            {
                inside[area] = inside.GetValueOrDefault(area) + 1;
                MostAtOnce = Math.Max(MostAtOnce, inside[area]);
            }

            Entered.Set();
            Release.Wait(TimeSpan.FromMinutes(2));
            lock (inside)
            {
                inside[area]--;
            }

            return new RenderedFile("slow", "slow.txt", "text/plain", [1]);
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_build_longer_than_its_lease_keeps_it_and_a_second_build_waits()
    {
        var renderer = new SlowRenderer();
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString, configure: builder =>
        {
            builder.Services.Configure<RollupLeaseOptions>(o => o.Duration = TimeSpan.FromSeconds(15)); // the shortest blob lease
            builder.Services.AddSingleton<IRollupRenderer>(renderer);
        });
        using var admin = host.AdminClient();
        admin.Timeout = TimeSpan.FromMinutes(3);
        const string date = "2026-10-03";
        (await admin.PostAsync(Reports.Valid(unit: "623024207", date: date))).EnsureSuccessStatusCode();

        var first = admin.PostAsync($"api/rollups/{date}", null);
        Assert.True(renderer.Entered.Wait(TimeSpan.FromMinutes(1)), "the first build never rendered");
        var second = admin.PostAsync($"api/rollups/{date}", null);
        // Past the lease's 15 s: without renewal the second build would take the lease now and render beside the first.
        await Task.Delay(TimeSpan.FromSeconds(25));
        renderer.Release.Set();

        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second).StatusCode);
        Assert.Equal(1, renderer.MostAtOnce);
    }
}
