using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Functions.Functions;
using Pipeline.Reporting;
using Pipeline.Reporting.Storage;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Http;

[Collection(AzuriteCollection.Name)]
public sealed class HealthTests(AzuriteFixture azurite)
{
    private static async Task<(int Status, string Body)> AskAsync(HealthFunction health)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        var result = await health.Run(context.Request, CancellationToken.None);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task Health_answers_503_while_storage_answers_but_is_not_initialised_and_200_once_it_is()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PipelineStorage"] = azurite.ConnectionString,
        }).Build();
        // The app's services, none of its hosted services started: the initializer has not run yet.
        await using var services = new ServiceCollection().AddLogging().AddReporting(configuration).BuildServiceProvider();
        var clients = services.GetRequiredService<StorageClients>();
        var initializer = services.GetRequiredService<StorageInitializer>();
        var health = new HealthFunction(clients, initializer);

        var starting = await AskAsync(health);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, starting.Status);
        Assert.Equal("starting", JsonDocument.Parse(starting.Body).RootElement.GetProperty("status").GetString());

        await initializer.StartAsync(CancellationToken.None);
        await initializer.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        var ready = await AskAsync(health);
        Assert.Equal((int)HttpStatusCode.OK, ready.Status);
        await initializer.StopAsync(CancellationToken.None);
    }
}
