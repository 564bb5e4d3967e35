using Microsoft.AspNetCore.Builder;

namespace Pipeline.Testing;

/// <summary>
/// A test class whose tests each run against a local host of their own on the given Azurite, started before the test
/// and stopped after it. A class whose host needs other settings or services says so in <see cref="Settings"/> or
/// <see cref="Configure"/>.
/// </summary>
public abstract class HostedTests(AzuriteFixture azurite) : IAsyncLifetime
{
    protected AzuriteFixture Azurite { get; } = azurite;

    protected PipelineHost Host { get; private set; } = null!;

    /// <summary>Settings over the host's defaults, as app settings are in Azure; none by default.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    /// <summary>Changes to the host's services before it is built (a policy on its storage clients, options); none by default.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async Task InitializeAsync() => Host = await PipelineHost.StartAsync(Azurite.ConnectionString, Settings, configure: Configure);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
