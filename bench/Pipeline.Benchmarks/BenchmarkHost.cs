using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Azurite;
using Pipeline.LocalHost;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>
/// A fresh in-memory Azurite on free ports and the local Functions host against it (HTTP, queue and timer
/// functions), optionally with a generated unit registry and a clock set ahead of the storage's.
/// </summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    public const string AdminToken = "bench-admin-token-0123456789";

    private readonly AzuriteProcess azurite;
    private readonly WebApplication app;

    private BenchmarkHost(AzuriteProcess azurite, WebApplication app, HttpClient http)
    {
        this.azurite = azurite;
        this.app = app;
        Http = http;
    }

    /// <summary>An HTTP client on the host, with the admin token.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => app.Services;

    public AzuriteProcess Azurite => azurite;

    /// <param name="registry">The unit registry the host serves; the embedded one when null.</param>
    /// <param name="clockAhead">How far the host's clock runs ahead of the storage's (a nightly build long after the reports).</param>
    public static async Task<BenchmarkHost> StartAsync(string repositoryRoot, UnitRegistry? registry = null, TimeSpan clockAhead = default)
    {
        var azurite = new AzuriteProcess(repositoryRoot) { InMemory = true };
        await azurite.StartNewAsync();
        var app = LocalFunctionsHost.Build(
            [
                $"--PipelineStorage={azurite.ConnectionString}",
                $"--Pipeline:AdminToken={AdminToken}",
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

                if (clockAhead != default)
                {
                    builder.Services.AddSingleton<TimeProvider>(new AheadTimeProvider(clockAhead));
                }
            });
        await app.StartAsync();
        await app.Services.GetRequiredService<StorageInitializer>().Ready;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address + "/"), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return new BenchmarkHost(azurite, app, http);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await azurite.DisposeAsync();
    }

    private sealed class AheadTimeProvider(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
    }
}
