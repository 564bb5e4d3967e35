using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Pipeline.Functions.Functions;
using Pipeline.Functions.Http;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Http;

/// <summary>The OpenAPI document at /api/openapi.json lists exactly what functions.metadata declares.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpenApiTests(AzuriteFixture azurite)
{
    /// <summary>Method + route of every HTTP trigger, as the Worker SDK wrote them to functions.metadata.</summary>
    private static List<(string Function, string Method, string Route)> MetadataEndpoints()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        return document.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray()
                .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
                .SelectMany(b => b.GetProperty("methods").EnumerateArray()
                    .Select(m => (f.GetProperty("name").GetString()!, m.GetString()!.ToLowerInvariant(), b.GetProperty("route").GetString()!))))
            .ToList();
    }

    private static async Task<string> ServeAsync()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        var result = new OpenApiFunction().Run(context.Request);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        Assert.Equal(200, context.Response.StatusCode);
        Assert.StartsWith("application/json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        return await new StreamReader(context.Response.Body).ReadToEndAsync();
    }

    [Fact]
    public async Task Every_http_route_in_functions_metadata_is_in_the_document_with_its_methods_and_path_parameters()
    {
        using var document = JsonDocument.Parse(await ServeAsync());
        var paths = document.RootElement.GetProperty("paths");
        var endpoints = MetadataEndpoints();
        Assert.NotEmpty(endpoints);
        var missing = new List<string>();
        foreach (var (function, method, route) in endpoints)
        {
            var path = OpenApiDocument.PathOf(route);
            if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method, out var operation))
            {
                missing.Add($"{method.ToUpperInvariant()} {path}");
                continue;
            }

            Assert.Equal(function, operation.GetProperty("operationId").GetString());
            var parameters = operation.GetProperty("parameters").EnumerateArray()
                .Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()!).ToList();
            Assert.Equal(OpenApiDocument.ParametersOf(route).ToList(), parameters);
            foreach (var name in parameters)
            {
                Assert.Contains("{" + name + "}", path);
            }
        }

        Assert.True(missing.Count == 0, "routes missing from /api/openapi.json: " + string.Join(", ", missing));
        // And nothing the app does not serve.
        var documented = paths.EnumerateObject().Sum(p => p.Value.EnumerateObject().Count());
        Assert.Equal(endpoints.Count, documented);
    }

    [Fact]
    public async Task The_document_is_openapi_3_with_a_bearer_scheme_and_a_problem_component()
    {
        using var document = JsonDocument.Parse(await ServeAsync());
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString());
        var components = root.GetProperty("components");
        var bearer = components.GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        var problem = components.GetProperty("schemas").GetProperty("Problem").GetProperty("properties");
        foreach (var field in new[] { "type", "title", "status", "detail", "errors", "correlationId" })
        {
            Assert.True(problem.TryGetProperty(field, out _), $"Problem lacks {field}");
        }

        // A route that needs a token says so and names its roles; an open one says anyone.
        var submit = root.GetProperty("paths").GetProperty("/api/reports").GetProperty("post");
        Assert.Equal(["reporter", "official", "admin"], submit.GetProperty("x-roles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(submit.GetProperty("security")[0].TryGetProperty("bearer", out _));
        var health = root.GetProperty("paths").GetProperty("/api/health").GetProperty("get");
        Assert.Equal(0, health.GetProperty("x-roles").GetArrayLength());
        Assert.Equal(0, health.GetProperty("security").GetArrayLength());
    }

    [Fact]
    public void Every_http_function_has_a_summary_and_roles_and_no_entry_is_stale()
    {
        var functions = OpenApiDocument.Routes(typeof(OpenApiFunction).Assembly).Select(r => r.Function).ToHashSet();
        var undescribed = functions.Where(f => !RouteDescriptions.ByFunction.ContainsKey(f)).ToList();
        Assert.True(undescribed.Count == 0, "HTTP functions without an entry in RouteDescriptions: " + string.Join(", ", undescribed));
        var stale = RouteDescriptions.ByFunction.Keys.Where(k => !functions.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "RouteDescriptions entries for no HTTP function: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task The_running_app_serves_the_document_to_anyone()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        using var client = host.Client();
        using var response = await client.GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/api/openapi.json", out _));
    }
}
