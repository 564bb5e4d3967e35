using System.Net.Http.Headers;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Azurite;
using Pipeline.LocalHost;
using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>
/// A fresh in-memory Azurite on free ports and the local Functions host against it (HTTP, queue and timer
/// functions), optionally with a generated unit registry and a clock set ahead of the storage's. The benchmark
/// talks to it over HTTP and to Azurite through its own storage clients: it names none of the reporting
/// library's classes but the unit registry, so it builds against the library before and after a refactoring.
/// </summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    public const string AdminToken = "bench-admin-token-0123456789";

    /// <summary>Set on the host rather than read from it, so the benchmark knows the day without the library's clock.</summary>
    public const string ReportingTimeZone = "Asia/Shanghai";

    public const int CorrectionWindowDays = 7;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly AzuriteProcess azurite;
    private readonly WebApplication app;
    private readonly TimeProvider clock;

    private BenchmarkHost(AzuriteProcess azurite, WebApplication app, HttpClient http, TimeProvider clock)
    {
        this.azurite = azurite;
        this.app = app;
        this.clock = clock;
        Http = http;
        Tables = new TableServiceClient(azurite.ConnectionString);
    }

    /// <summary>An HTTP client on the host, with the admin token.</summary>
    public HttpClient Http { get; }

    /// <summary>A plain table client on the host's Azurite (the SDK's defaults, none of the app's policies): the raw baselines and the batch's status row.</summary>
    public TableServiceClient Tables { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>Azurite's full collections so far (empty unless started with <c>traceAzuriteGc</c>).</summary>
    public IReadOnlyList<AzuriteFullCollection> AzuriteFullCollections => azurite.FullCollections;

    /// <summary>The host's reporting day now.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(ReportingTimeZone)).DateTime);

    /// <param name="registry">The unit registry the host serves; the embedded one when null.</param>
    /// <param name="clockAhead">How far the host's clock runs ahead of the storage's (a nightly build long after the reports).</param>
    /// <param name="traceAzuriteGc">Keeps Azurite's full collections (<see cref="AzuriteFullCollections"/>), which the ingest's tail is set by.</param>
    public static async Task<BenchmarkHost> StartAsync(string repositoryRoot, UnitRegistry? registry = null, TimeSpan clockAhead = default, bool traceAzuriteGc = false)
    {
        var azurite = new AzuriteProcess(repositoryRoot) { InMemory = true, TraceFullCollections = traceAzuriteGc };
        await azurite.StartNewAsync();
        var clock = new AheadTimeProvider(clockAhead);
        var app = LocalFunctionsHost.Build(
            [
                $"--PipelineStorage={azurite.ConnectionString}",
                $"--Pipeline:AdminToken={AdminToken}",
                $"--Pipeline:ReportingTimeZone={ReportingTimeZone}",
                $"--Pipeline:CorrectionWindowDays={CorrectionWindowDays}",
                "--LocalHost:Urls=http://127.0.0.1:0",
                "--LocalHost:Settings=/nonexistent",
                "--LocalHost:Timers=off",
                "--Logging:LogLevel:Default=Warning",
            ],
            builder =>
            {
                if (registry is not null)
                {
                    builder.Services.AddSingleton(registry);
                }

                builder.Services.AddSingleton<TimeProvider>(clock);
            });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address + "/"), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        await WaitUntilHealthyAsync(http);
        return new BenchmarkHost(azurite, app, http, clock);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await azurite.DisposeAsync();
    }

    /// <summary><c>GET /api/health</c> answers 200 once the app's tables, containers and queues exist.</summary>
    private static async Task WaitUntilHealthyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            using var response = await http.GetAsync("api/health");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The local host was not healthy within {StartTimeout}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(200);
        }
    }

    private sealed class AheadTimeProvider(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
    }
}
