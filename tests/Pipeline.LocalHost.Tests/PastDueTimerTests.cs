using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Pipeline.Testing;

namespace Pipeline.LocalHost.Tests;

/// <summary>
/// A start after the recorded next run, on an Azurite of its own: a fresh account, as at an app's first start, where
/// the day is not built yet and the app's tables do not exist until its storage initializer has made them.
/// </summary>
public sealed class PastDueTimerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_start_after_the_recorded_next_run_builds_the_missed_day_at_once_and_records_the_next_run()
    {
        var hostId = "pastdue-" + Guid.NewGuid().ToString("N")[..8];
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(TimerRunner.Container);
        await container.CreateIfNotExistsAsync();
        var status = container.GetBlobClient($"timers/{hostId}/BuildDailyRollup/status");
        // The app was down at 2026-11-26 16:30 UTC (00:30 on the 27th in Shanghai), when 2026-11-26 was due.
        await status.UploadAsync(BinaryData.FromString(
            """{"Last":"2026-11-25T16:30:00Z","Next":"2026-11-26T16:30:00Z","LastUpdated":"2026-11-25T16:30:00Z"}"""), overwrite: true);

        // The host starts the past-due run as soon as the timer holds its listener lease, while the storage initializer
        // may still be creating the tables (beside another test lane in ./test.sh it was, in 2 of 3 runs). Here the
        // initializer's table creation waits until the run has begun and either ended or said it waits for storage.
        var logs = new LogCapture();
        var creation = new StorageFaultPolicy
        {
            BeforeSend = request => request.Method == "POST" && request.Path.EndsWith("/Tables", StringComparison.Ordinal)
                ? WaitForAsync(logs, line => line.Contains("Timer function BuildDailyRollup", StringComparison.Ordinal)
                    || (line.StartsWith(typeof(Pipeline.Reporting.Storage.StorageInitializer).FullName!, StringComparison.Ordinal) && line.Contains("BuildDailyRollup", StringComparison.Ordinal)))
                : Task.CompletedTask,
        };
        await using var host = await PipelineHost.StartAsync(
            azurite.ConnectionString,
            new Dictionary<string, string?> { ["LocalHost:HostId"] = hostId },
            configure: builder =>
            {
                builder.Logging.AddProvider(logs);
                creation.Install(builder);
            });
        using var admin = host.AdminClient();
        HttpResponseMessage? manifest = null;
        for (var i = 0; i < 300 && manifest?.StatusCode != HttpStatusCode.OK && !logs.Lines.Any(IsFailedRun); i++) // up to 60 s: the build runs beside another test lane in ./test.sh
        {
            await Task.Delay(200);
            manifest = await admin.GetAsync("api/rollups/2026-11-26");
        }

        Assert.False(logs.Lines.Any(IsFailedRun), string.Join("\n", logs.Lines.Where(IsFailedRun)));
        Assert.Equal(HttpStatusCode.OK, manifest!.StatusCode);
        JsonElement recorded = default;
        for (var i = 0; i < 50; i++)
        {
            recorded = JsonDocument.Parse((await status.DownloadContentAsync()).Value.Content.ToString()).RootElement;
            if (recorded.GetProperty("Next").GetDateTime() > new DateTime(2026, 11, 27))
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(new DateTime(2026, 11, 27, 16, 30, 0), recorded.GetProperty("Next").GetDateTime());
    }

    private static bool IsFailedRun(string line) => line.Contains("Timer function BuildDailyRollup failed", StringComparison.Ordinal);

    /// <summary>Until a log line matches, or 15 s have passed (a safety net, so a fix that says nothing still gets its tables).</summary>
    private static async Task WaitForAsync(LogCapture logs, Func<string, bool> match)
    {
        for (var i = 0; i < 150 && !logs.Lines.Any(match); i++)
        {
            await Task.Delay(100);
        }
    }
}
