using Microsoft.Extensions.Logging;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Http;

/// <summary>Dates in log messages read as the rest of the system writes them (ISO), never in the invariant culture's 11/27/2026.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LogDateFormatTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_saved_report_and_a_built_rollup_are_logged_with_iso_dates()
    {
        var logs = new LogCapture();
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString, configure: b => b.Logging.AddProvider(logs));
        using var admin = host.AdminClient();
        (await admin.PostAsync(Reports.Valid(submissionId: "log-dates"))).EnsureSuccessStatusCode();
        (await admin.PostAsync($"api/rollups/{Reports.Today}", null)).EnsureSuccessStatusCode();

        Assert.Contains(logs.Lines, l => l.Contains($"for {Reports.Today}: revision", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains($"Rollup of {Reports.Today} for", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("for 11/27/2026", StringComparison.Ordinal) || l.Contains("of 11/27/2026", StringComparison.Ordinal));
    }
}
