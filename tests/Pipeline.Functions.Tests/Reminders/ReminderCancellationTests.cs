using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Reminders;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Reminders;

/// <summary>
/// A run cancelled while it sends (the host stopping for a deployment or a scale-in, an operator's request gone):
/// what the robot accepted stays accepted, so the outbox must say so, or the next run sends it to the group again.
/// </summary>
[Collection(ReminderAzuriteCollection.Name)]
public sealed class ReminderCancellationTests(AzuriteFixture azurite)
{
    // Days no other reminder test uses (ReminderIntegrationTests: 1-11 December), so outbox rows never meet.
    private static readonly DateOnly Day = new(2026, 12, 20);
    private static readonly DateTimeOffset Noon = new(2026, 12, 20, 4, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly OtherDay = new(2026, 12, 21);

    [Fact]
    public async Task A_run_cancelled_as_the_robot_accepts_still_marks_the_message_sent_and_no_later_run_sends_it_again()
    {
        await using var robot = await FakeRobot.StartAsync(TimeProvider.System);
        var storage = new StorageFaultPolicy();
        using var run = new CancellationTokenSource();
        // The robot has answered 0 and the run is about to mark the message sent: that is when the run is cancelled.
        storage.BeforeSend = request =>
        {
            if (request.Method == "PUT" && request.Path.Contains("/reminders(", StringComparison.Ordinal) && request.Body.Contains("\"Status\":\"sent\"", StringComparison.Ordinal))
            {
                run.Cancel();
            }

            return Task.CompletedTask;
        };
        await using var host = await StartAsync("webhook", robot.WebhookUrl, storage.Install);
        host.Time.SetUtcNow(Noon);
        var reminders = host.Services.GetRequiredService<ReminderService>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reminders.RunCutoffAsync(Day, new TimeOnly(16, 0), run.Token));
        Assert.Single(robot.Accepted);

        // Long after the claim of that attempt has run out, the next timer runs find nothing to send.
        storage.BeforeSend = null;
        host.Time.Advance(TimeSpan.FromMinutes(30));
        var dispatcher = host.Services.GetRequiredService<ReminderDispatcher>();
        Assert.Equal(0, await dispatcher.DispatchAsync(dispatcher.OpenDays(), _ => true, TimeSpan.Zero, CancellationToken.None));
        Assert.Single(robot.Accepted);
        var message = Assert.Single(await host.Services.GetRequiredService<ReminderOutbox>().ReadDayAsync(Day, CancellationToken.None).ToListAsync());
        Assert.Equal(OutboxStatus.Sent, message.Status);
    }

    [Fact]
    public async Task An_operators_run_that_sends_for_longer_than_a_requests_storage_deadline_is_not_cut_off()
    {
        await using var robot = await FakeRobot.StartAsync(TimeProvider.System);
        robot.HoldFirstAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartAsync("wecom", robot.WeComUrl);
        host.Time.SetUtcNow(Noon.AddDays(1));
        using var admin = host.AdminClient();

        // A robot slow to answer: the run is within its own budget (its clock stands still), past the 5 s a request
        // may wait on storage; cut off there, it would drop the send between the robot's acceptance and the mark.
        var run = admin.PostAsync($"api/reminders/{OtherDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}/run?cutoff=16:00", null);
        await robot.FirstAnswerHeld.Task;
        await Task.Delay(RequestDeadline.Storage + TimeSpan.FromSeconds(1));
        robot.HoldFirstAnswer.TrySetResult();
        var response = await run;

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(1, JsonDocument.Parse(body).RootElement.GetProperty("sent").GetInt32());
        Assert.Single(robot.Accepted);
    }

    /// <summary>A host without timers, one county group on the given robot.</summary>
    private Task<PipelineHost> StartAsync(string kind, string url, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null) =>
        PipelineHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Pipeline:Reminders:Groups:0:Scope"] = "623024",
            ["Pipeline:Reminders:Groups:0:Kind"] = kind,
            ["Pipeline:Reminders:Groups:0:Url"] = url,
            ["Pipeline:Reminders:FormUrl"] = "https://reports.example.test/api/form",
            ["LocalHost:Timers"] = "off",
        }, configure: configure);
}
