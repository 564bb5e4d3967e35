using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pipeline.LocalHost;
using Pipeline.Reporting.Storage;

namespace Pipeline.Testing;

/// <summary>The local Functions host on a free port, against a given storage, with a pinned clock.</summary>
public sealed class PipelineHost : IAsyncDisposable
{
    /// <summary>12:00 on 2026-11-27 in Asia/Shanghai: before that day's 22:00 deadline.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 27, 4, 0, 0, TimeSpan.Zero);

    private readonly WebApplication app;
    private bool killed;

    private PipelineHost(WebApplication app, Uri baseAddress, string adminToken, FakeTimeProvider time)
    {
        this.app = app;
        BaseAddress = baseAddress;
        AdminToken = adminToken;
        Time = time;
    }

    public Uri BaseAddress { get; }

    public string AdminToken { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<PipelineHost> StartAsync(
        string storageConnectionString,
        IDictionary<string, string?>? settings = null,
        bool waitForStorage = true,
        Action<WebApplicationBuilder>? configure = null)
    {
        var adminToken = "admin-" + Guid.NewGuid().ToString("N");
        var time = new FakeTimeProvider(DefaultNow);
        var args = new Dictionary<string, string?>
        {
            ["PipelineStorage"] = storageConnectionString,
            ["Pipeline:AdminToken"] = adminToken,
            ["LocalHost:Urls"] = "http://127.0.0.1:0",
            ["LocalHost:Settings"] = "/nonexistent/local.settings.json",
            // Each host its own timer status and listener lease, so hosts of different tests never share a schedule.
            ["LocalHost:HostId"] = "test-" + Guid.NewGuid().ToString("N")[..16],
            ["Pipeline:RollupSchedule"] = "0 30 16 * * *",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            args[key] = value;
        }

        var app = LocalFunctionsHost.Build(
            args.Select(a => $"--{a.Key}={a.Value}").ToArray(),
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(time);
                configure?.Invoke(builder);
            });
        await app.StartAsync();
        if (waitForStorage)
        {
            await app.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(60));
        }

        return new PipelineHost(app, ListeningAddress.Of(app), adminToken, time);
    }

    public HttpClient Client(string? token = null, string? language = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (language is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }

        return client;
    }

    public HttpClient AdminClient() => Client(AdminToken);

    public async Task<(string Id, string Token)> IssueTokenAsync(string role, string scope)
    {
        using var admin = AdminClient();
        var response = await admin.PostAsJsonAsync("api/tokens", new { role, scope, label = "test" });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, body.GetProperty("token").GetString()!);
    }

    /// <summary>Stops the host at once, as a killed process: requests in flight are cut off, nothing they started finishes.</summary>
    public async Task KillAsync()
    {
        killed = true;
        await app.StopAsync(new CancellationToken(canceled: true));
        await app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (killed)
        {
            return;
        }

        await app.StopAsync();
        await app.DisposeAsync();
    }
}
