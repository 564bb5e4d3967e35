using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Azurite;
using Pipeline.Testing;
using Xunit.Abstractions;

namespace Pipeline.Functions.Tests.Reliability;

/// <summary>A storage account that hangs (Azurite frozen with SIGSTOP) is answered 503 + Retry-After, not waited on.</summary>
public sealed class StorageDeadlineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_frozen_storage_gives_503_with_retry_after_within_the_deadline_and_a_resend_stores_the_report_once()
    {
        await using var azurite = new AzuriteProcess(RepositoryRoot.Path) { InMemory = true };
        await azurite.StartNewAsync();
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        using var admin = host.AdminClient();
        // Without the deadline the storage clients wait three tries of 10 s (over 30 s); the deadline is 5 s.
        admin.Timeout = TimeSpan.FromSeconds(20);
        var report = Reports.Valid();

        await azurite.PauseAsync();
        HttpResponseMessage frozen;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            frozen = await admin.PostAsync(report);
            output.WriteLine($"answered {(int)frozen.StatusCode} after {watch.Elapsed.TotalSeconds:F1} s with storage frozen");
        }
        finally
        {
            await azurite.ResumeAsync();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, frozen.StatusCode);
        Assert.NotNull(frozen.Headers.RetryAfter);
        Assert.Equal("application/problem+json", frozen.Content.Headers.ContentType?.MediaType);
        var problem = await frozen.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("correlationId").GetString()));

        // The frozen write may have landed once Azurite woke up: the resend is then a replay, never a second revision.
        using var after = host.AdminClient();
        var resent = await after.PostAsync(report);
        Assert.True(resent.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"resend answered {(int)resent.StatusCode}");
        var revisions = await after.GetFromJsonAsync<JsonElement>($"api/reports/{Reports.Today}/{Reports.Unit}/revisions");
        output.WriteLine($"resend answered {(int)resent.StatusCode}, {watch.Elapsed.TotalSeconds:F1} s after the frozen post began");
        Assert.Equal(1, revisions.GetArrayLength());
    }
}
