using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Testing;

/// <summary>Where a test's web app, started on port 0, listens: the port the server was given.</summary>
public static class ListeningAddress
{
    /// <summary>The started app's first address, with a trailing slash so that relative URLs keep its path.</summary>
    public static Uri Of(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
}
