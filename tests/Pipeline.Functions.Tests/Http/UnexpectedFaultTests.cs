using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Functions.Http;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Http;

[Collection(AzuriteCollection.Name)]
public sealed class UnexpectedFaultTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("api/probe/gateway", null)]
    [InlineData("api/probe/bare", null)]
    [InlineData("api/probe/gateway", "en")]
    public async Task An_unexpected_exception_is_a_problem_json_500_whose_correlation_id_is_logged_once_with_the_cause(string path, string? language)
    {
        var logs = new LogCapture();
        var adminToken = "admin-" + Guid.NewGuid().ToString("N");
        await using var probe = await ProbeHost.StartAsync(typeof(FaultyProbeFunctions), builder =>
        {
            builder.Configuration["PipelineStorage"] = azurite.ConnectionString;
            builder.Configuration["Pipeline:AdminToken"] = adminToken;
            builder.Logging.AddProvider(logs);
            builder.Services.AddPipelineFunctions(builder.Configuration);
        });
        using var client = probe.Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", adminToken);
        if (language is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(FaultyProbeFunctions.Secret, body);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        var correlationId = problem.GetProperty("correlationId").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(correlationId));
        Assert.Contains(correlationId, problem.GetProperty("detail").GetString());
        Assert.Equal(language is null ? "服务器内部错误" : "Internal server error", problem.GetProperty("title").GetString());
        Assert.Equal(correlationId, response.Headers.GetValues(ProblemFactory.CorrelationHeader).Single());
        var logged = logs.Lines.Where(l => l.Contains(correlationId, StringComparison.Ordinal)).ToList();
        Assert.Single(logged);
        Assert.Contains(FaultyProbeFunctions.Secret, logged[0]);
    }
}
