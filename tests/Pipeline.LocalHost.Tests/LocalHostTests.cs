using System.Net;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.LocalHost.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class LocalHostTests(AzuriteFixture azurite)
{
    /// <summary>The functions.metadata the Worker SDK wrote for Azure: every HTTP trigger in it must be served locally.</summary>
    private static IEnumerable<(string Name, string Route, string[] Methods)> MetadataHttpTriggers()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var function in document.RootElement.EnumerateArray())
        {
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (binding.GetProperty("type").GetString() == "httpTrigger")
                {
                    var name = function.GetProperty("name").GetString()!;
                    // The host serves a function without a route on its name.
                    var route = binding.TryGetProperty("route", out var r) && r.GetString() is { Length: > 0 } declared ? declared : name;
                    yield return (name, route,
                        binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToArray());
                }
            }
        }
    }

    [Fact]
    public void Discovery_finds_exactly_the_http_triggers_of_functions_metadata()
    {
        var discovered = FunctionDiscovery.HttpFunctions(typeof(Pipeline.Functions.FunctionsServiceCollectionExtensions).Assembly)
            .Select(f => (f.Name, f.Route, string.Join(",", f.Methods))).Order().ToList();
        var metadata = MetadataHttpTriggers().Select(t => (t.Name, t.Route, string.Join(",", t.Methods))).Order().ToList();
        Assert.NotEmpty(metadata);
        Assert.Equal(metadata, discovered);
    }

    [Fact]
    public void No_route_in_functions_metadata_is_in_the_space_the_Functions_host_reserves()
    {
        var triggers = MetadataHttpTriggers().ToList();
        Assert.NotEmpty(triggers);
        var reserved = triggers.Where(t => ReservedRoutes.Conflicts(t.Route)).Select(t => $"{t.Name} ({t.Route})").ToList();
        Assert.True(reserved.Count == 0,
            $"the Functions host refuses these functions at start-up (a route starting with admin or runtime): {string.Join(", ", reserved)}");
    }

    [Fact]
    public async Task Every_http_function_is_served_on_its_route_and_method()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        using var client = host.Client();
        foreach (var (name, route, methods) in MetadataHttpTriggers())
        {
            var path = "api/" + route
                .Replace("{*asset}", "", StringComparison.Ordinal)
                .Replace("{date}", "2026-11-27", StringComparison.Ordinal)
                .Replace("{unitCode}", "623024100", StringComparison.Ordinal)
                .Replace("{id}", "0123456789abcdef", StringComparison.Ordinal);
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path);
                using var response = await client.SendAsync(request);
                // Served means the function answered: anything but the router's bare 404/405.
                var routed = response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
                    || response.Content.Headers.ContentLength > 0;
                Assert.True(routed, $"{name}: {method} {path} answered {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Health_answers_503_when_storage_is_down()
    {
        var deadPort = AzuriteFixture.FreePort();
        var dead = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{deadPort}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{deadPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{deadPort}/devstoreaccount1;";
        await using var host = await PipelineHost.StartAsync(dead, waitForStorage: false);
        using var client = host.Client(host.AdminToken);
        var health = await client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);

        var submit = await client.PostAsync(Reports.Valid());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, submit.StatusCode);
        Assert.NotNull(submit.Headers.RetryAfter);
    }
}
