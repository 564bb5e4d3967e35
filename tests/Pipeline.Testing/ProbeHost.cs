using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.LocalHost;

namespace Pipeline.Testing;

/// <summary>
/// A bare web host on a free port serving only the HTTP functions of one probe class under <c>api/</c>, the way the
/// local host maps them: no pipeline, no storage, nothing else unless the test adds it to the builder.
/// </summary>
public sealed class ProbeHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private ProbeHost(WebApplication app, IReadOnlyList<HttpFunction> served, Uri baseAddress)
    {
        this.app = app;
        Served = served;
        BaseAddress = baseAddress;
    }

    /// <summary>The functions the host serves (one on a route the Functions host refuses is not among them).</summary>
    public IReadOnlyList<HttpFunction> Served { get; }

    public Uri BaseAddress { get; }

    /// <param name="configure">Settings, services and logging of the test's own, before the host is built.</param>
    public static async Task<ProbeHost> StartAsync(Type probeFunctions, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        configure?.Invoke(builder);
        var app = builder.Build();
        var served = app.MapHttpFunctions(FunctionDiscovery.HttpFunctions([probeFunctions]), new HostSettings("api"));
        await app.StartAsync();
        return new ProbeHost(app, served, ListeningAddress.Of(app));
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
