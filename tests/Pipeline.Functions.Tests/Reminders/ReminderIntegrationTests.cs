using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Units;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Reminders;

/// <summary>
/// Reminders end to end: the local host against Azurite, robots played by <see cref="FakeRobot"/>, the clock faked and
/// moved by the test (retry waits are minutes of the pipeline's clock, a few seconds of real time).
/// </summary>
[Collection(ReminderAzuriteCollection.Name)]
public sealed class ReminderIntegrationTests(AzuriteFixture azurite)
{
    private const string County = "623024"; // 迭部县: 11 townships
    private const string OtherCounty = "623025"; // 玛曲县: 11 townships
    private const string FormUrl = "https://reports.example.test/api/form";
    private static readonly UnitRegistry Units = UnitRegistry.LoadEmbedded();
    private readonly LogCapture logs = new();

    [Fact]
    public async Task A_county_with_3_of_11_reported_gets_one_message_naming_the_8_others_with_their_known_phones()
    {
        var (day, now) = Day(1);
        await using var robot = await FakeRobot.StartAsync(TimeProvider.System);
        await using var host = await StartAsync(now, timers: false, Group(0, County, "wecom", robot.WeComUrl));
        var townships = Units.TownshipsWithin(County);
        Assert.Equal(11, townships.Count);
        using var admin = host.AdminClient();
        foreach (var t in townships.Take(3))
        {
            await ReportAsync(admin, t.Code, day, "13800138000");
        }

        // Two of the eight reported the day before, with their phones: those are the @-mentions.
        await ReportAsync(admin, townships[3].Code, day.AddDays(-1), "13900000003");
        await ReportAsync(admin, townships[4].Code, day.AddDays(-1), "13900000004");
        // One has never reported: its reporter token's contact phone is the one to mention.
        (await admin.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = townships[5].Code, label = "t5", contactName = "才让", contactPhone = "13900000005" }))
            .EnsureSuccessStatusCode();

        var result = await RunAsync(host, day, "16:00");

        Assert.Equal((1, 0, 0), result);
        var message = Assert.Single(robot.Requests);
        Assert.True(message.Accepted);
        foreach (var t in townships.Skip(3))
        {
            Assert.Contains($"{t.NameZh}（{t.Code}）", message.Content, StringComparison.Ordinal);
        }

        foreach (var t in townships.Take(3))
        {
            Assert.DoesNotContain(t.Code, message.Content, StringComparison.Ordinal);
        }

        Assert.Contains("8 个乡镇（街道）未报送", message.Content, StringComparison.Ordinal);
        Assert.Contains("截止时间 22:00", message.Content, StringComparison.Ordinal);
        Assert.Contains(FormUrl, message.Content, StringComparison.Ordinal);
        Assert.Equal(["13900000003", "13900000004", "13900000005"],
            message.Body.GetProperty("text").GetProperty("mentioned_mobile_list").EnumerateArray().Select(p => p.GetString()!).Order());

        // The log: the county official sees its group's entry, another county's official sees none; no url anywhere.
        var countyOfficial = (await host.IssueTokenAsync("official", County)).Token;
        var otherOfficial = (await host.IssueTokenAsync("official", OtherCounty)).Token;
        var log = await host.Client(countyOfficial).GetStringAsync($"api/reminders/{Iso(day)}");
        var entry = Assert.Single(JsonDocument.Parse(log).RootElement.EnumerateArray());
        Assert.Equal("16:00", entry.GetProperty("cutoff").GetString());
        Assert.Equal("sent", entry.GetProperty("status").GetString());
        Assert.Equal(1, entry.GetProperty("attempts").GetInt32());
        Assert.Equal(8, entry.GetProperty("missing").GetArrayLength());
        Assert.DoesNotContain(FakeRobot.WeComKey, log, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", log, StringComparison.Ordinal);
        Assert.Equal("[]", await host.Client(otherOfficial).GetStringAsync($"api/reminders/{Iso(day)}"));
    }

    [Fact]
    public async Task The_same_cutoff_run_twice_by_the_timer_and_by_hand_sends_nothing_new()
    {
        var (day, now) = Day(2);
        await using var robot = await FakeRobot.StartAsync(TimeProvider.System);
        await using var host = await StartAsync(now, timers: true, Group(0, OtherCounty, "webhook", robot.WebhookUrl));
        using var admin = host.AdminClient();
        await ReportAsync(admin, Units.TownshipsWithin(OtherCounty)[0].Code, day, "13800138000");

        Assert.Equal((1, 0, 0), await RunAsync(host, day, "16:00"));
        Assert.Equal((0, 1, 0), await RunAsync(host, day, "16:00"));
        Assert.Single(robot.Accepted);

        // The timer's own 20:00 cutoff (the clock passes it), then the same cutoff by hand: one message for 20:00.
        host.Time.SetUtcNow(now.AddHours(8).AddMinutes(-2));
        await DriveUntilAsync(host, () => robot.Accepted.Count == 2, step: TimeSpan.FromSeconds(5), until: now.AddHours(8).AddMinutes(15));
        Assert.Equal((0, 1, 0), await RunAsync(host, day, "20:00"));
        await DriveAsync(host, TimeSpan.FromMinutes(3));
        var accepted = robot.Accepted;
        Assert.Equal(["16:00", "20:00"], accepted.Select(r => r.Body.GetProperty("cutoff").GetString()));
        Assert.Equal(10, accepted[0].Body.GetProperty("missing").GetArrayLength());
    }

    [Fact]
    public async Task A_county_with_everything_reported_gets_nothing()
    {
        var (day, now) = Day(3);
        await using var robot = await FakeRobot.StartAsync(TimeProvider.System);
        await using var host = await StartAsync(now, timers: false, Group(0, OtherCounty, "webhook", robot.WebhookUrl));
        using var admin = host.AdminClient();
        foreach (var t in Units.TownshipsWithin(OtherCounty))
        {
            await ReportAsync(admin, t.Code, day, "13800138000");
        }

        Assert.Equal((0, 1, 0), await RunAsync(host, day, "16:00"));
        Assert.Empty(robot.Requests);
        Assert.Equal("[]", await admin.GetStringAsync($"api/reminders/{Iso(day)}"));
    }

    [Fact]
    public async Task A_robot_that_answers_45009_twice_then_0_gets_the_message_exactly_once()
    {
        var (day, now) = Day(4);
        await using var robot = await FakeRobot.StartAsync(TimeProvider.System);
        robot.FailFirst.Enqueue(45009);
        robot.FailFirst.Enqueue(45009);
        await using var host = await StartAsync(now, timers: false, Group(0, County, "wecom", robot.WeComUrl));

        Assert.Equal((1, 0, 0), await RunAsync(host, day, "10:00"));

        Assert.Equal([false, false, true], robot.Requests.Select(r => r.Accepted));
        Assert.Single(robot.Accepted);
        var entry = Assert.Single(JsonDocument.Parse(await host.AdminClient().GetStringAsync($"api/reminders/{Iso(day)}")).RootElement.EnumerateArray());
        Assert.Equal("sent", entry.GetProperty("status").GetString());
        Assert.Equal(3, entry.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_signed_dingtalk_robot_down_for_a_minute_gets_the_prefecture_escalation_once_after_it_returns()
    {
        var (day, now) = Day(5);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);
        await using var robot = await FakeRobot.StartAsync(clock);
        await using var host = await StartAsync(now, timers: true,
            Group(0, "623000", "dingtalk", robot.DingTalkUrl, FakeRobot.DingTalkSecret),
            new Dictionary<string, string?> { ["Pipeline:Reminders:RunBudget"] = "00:00:10" });
        var robotClock = () => clock.SetUtcNow(host.Time.GetUtcNow());
        robot.DownUntil = now.AddMinutes(1);
        using var admin = host.AdminClient();
        await ReportAsync(admin, Units.TownshipsWithin(County)[0].Code, day, "13800138000");

        // The operator's run gives up for now (the robot is down); the timer, on its own, delivers after it returns.
        Assert.Equal((0, 0, 1), await RunAsync(host, day, "22:00", robotClock));
        // Only the escalations: the nightly timer, past due at this host's start, may publish a revision of this day's
        // rollup while it runs, and that revision's one-line notice goes to the same prefecture group (seen in clean-ci).
        var escalations = () => robot.Accepted.Where(a => !a.Content.StartsWith("【日报汇总更新】", StringComparison.Ordinal)).ToList();
        await DriveUntilAsync(host, () => escalations().Count == 1, step: TimeSpan.FromSeconds(1), until: now.AddMinutes(5), robotClock);
        await DriveAsync(host, TimeSpan.FromMinutes(3), robotClock);

        var accepted = Assert.Single(escalations());
        Assert.True(accepted.At >= robot.DownUntil);
        Assert.Contains($"{Units.TownshipsWithin("623000").Count - 1} 个未报送", accepted.Content, StringComparison.Ordinal);
        Assert.Contains("迭部县 10 个：", accepted.Content, StringComparison.Ordinal);
        Assert.Contains("合作市 10 个：", accepted.Content, StringComparison.Ordinal);
        Assert.Empty(accepted.Body.GetProperty("at").GetProperty("atMobiles").EnumerateArray());
        var entry = Assert.Single(JsonDocument.Parse(await admin.GetStringAsync($"api/reminders/{Iso(day)}")).RootElement.EnumerateArray(),
            e => e.GetProperty("cutoff").GetString() == "22:00");
        Assert.Equal("sent", entry.GetProperty("status").GetString());
        Assert.True(entry.GetProperty("attempts").GetInt32() > 1);
        var leaks = logs.Lines.Where(l => l.Contains(FakeRobot.DingTalkToken, StringComparison.Ordinal) || l.Contains(FakeRobot.DingTalkSecret, StringComparison.Ordinal)
            || l.Contains("sign=", StringComparison.Ordinal) || l.Contains("/robot/send", StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, "url or secret in logs: " + string.Join("\n", leaks));
        Assert.Contains(logs.Lines, l => l.Contains("will retry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_killed_between_send_and_mark_sends_that_message_at_most_once_more_after_a_restart()
    {
        var (day, now) = Day(6);
        await using var robot = await FakeRobot.StartAsync(TimeProvider.System);
        robot.HoldFirstAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var group = Group(0, County, "wecom", robot.WeComUrl);
        var first = await StartAsync(now, timers: false, group);
        using var firstAdmin = first.AdminClient();
        firstAdmin.Timeout = Timeout.InfiniteTimeSpan; // the run never answers: its host dies while the robot holds the answer
        var run = firstAdmin.PostAsync($"api/reminders/{Iso(day)}/run?cutoff=16:00", null);
        await Task.WhenAny(robot.FirstAnswerHeld.Task, run);

        // The robot has taken the message; the host dies before it hears so, and before it marks the message sent.
        Assert.Single(robot.Accepted);
        var killedAt = first.Time.GetUtcNow();
        await first.KillAsync();
        robot.HoldFirstAnswer.TrySetResult();
        await Assert.ThrowsAnyAsync<Exception>(() => run);

        await using var second = await StartAsync(killedAt, timers: true, group);
        // Nothing moves until the dead host's claim runs out (the clock stands still while a claim is held: see OutboxClaims).
        var dead = await OutboxClaims.HeldAsync(second);
        Assert.NotNull(dead);
        second.Time.SetUtcNow(dead.Value.Until);
        await DriveUntilAsync(second, () => robot.Accepted.Count == 2, step: TimeSpan.FromSeconds(5), until: killedAt.AddMinutes(10));
        await OutboxClaims.UntilNoneHeldAsync(second); // the timer's resend is marked

        Assert.Equal((0, 1, 0), await RunAsync(second, day, "16:00"));
        await DriveAsync(second, TimeSpan.FromMinutes(3));

        Assert.Equal(2, robot.Accepted.Count);
        Assert.Equal(robot.Accepted[0].Content, robot.Accepted[1].Content);
        var entry = Assert.Single(JsonDocument.Parse(await second.AdminClient().GetStringAsync($"api/reminders/{Iso(day)}")).RootElement.EnumerateArray());
        Assert.Equal("sent", entry.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_published_day_with_a_new_rollup_revision_gets_a_one_line_notice_in_the_prefecture_group()
    {
        // Day 11: the notice is logged under yesterday, which must be no other test's day (Day 7's yesterday is Day 6's).
        var (day, now) = Day(11);
        await using var robot = await FakeRobot.StartAsync(TimeProvider.System);
        await using var host = await StartAsync(now, timers: true, Group(0, "623000", "webhook", robot.WebhookUrl));
        using var admin = host.AdminClient();
        var yesterday = day.AddDays(-1);
        var unit = Units.TownshipsWithin(County)[0].Code;
        await ReportAsync(admin, unit, yesterday, "13800138000");
        (await admin.PostAsync($"api/rollups/{Iso(yesterday)}", null)).EnsureSuccessStatusCode();
        await ReportAsync(admin, Units.TownshipsWithin(County)[1].Code, yesterday, "13800138000"); // a late report
        (await admin.PostAsync($"api/rollups/{Iso(yesterday)}", null)).EnsureSuccessStatusCode();

        await DriveUntilAsync(host, () => robot.Accepted.Count == 1, step: TimeSpan.FromSeconds(5), until: now.AddMinutes(5));
        await DriveAsync(host, TimeSpan.FromMinutes(2));

        var notice = Assert.Single(robot.Accepted);
        Assert.Equal("rollup r2", notice.Body.GetProperty("cutoff").GetString());
        Assert.DoesNotContain('\n', notice.Content);
        Assert.StartsWith($"【日报汇总更新】{yesterday:yyyy年M月d日}汇总已更新为第 2 版：已报送 2/", notice.Content, StringComparison.Ordinal);
        Assert.Contains("（原 1/", notice.Content, StringComparison.Ordinal);
        Assert.Contains("（+12）", notice.Content, StringComparison.Ordinal); // returnees 12 -> 24
    }

    [Fact]
    public async Task Reminders_switched_off_send_nothing_and_say_so()
    {
        var (day, now) = Day(8);
        await using var robot = await FakeRobot.StartAsync(TimeProvider.System);
        await using var host = await StartAsync(now, timers: true, Group(0, County, "wecom", robot.WeComUrl),
            new Dictionary<string, string?> { ["Pipeline:Reminders:Enabled"] = "false" });

        using var admin = host.AdminClient();
        var response = await admin.PostAsync($"api/reminders/{Iso(day)}/run?cutoff=16:00", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("enabled").GetBoolean());
        host.Time.SetUtcNow(now.AddHours(4).AddMinutes(-1)); // past the 16:00 cutoff by the timer
        await DriveAsync(host, TimeSpan.FromMinutes(3));
        Assert.Empty(robot.Requests);
    }

    [Fact]
    public async Task Bad_dates_and_cutoffs_are_refused_naming_the_field()
    {
        var (_, now) = Day(9);
        await using var robot = await FakeRobot.StartAsync(TimeProvider.System);
        await using var host = await StartAsync(now, timers: false, Group(0, County, "wecom", robot.WeComUrl));
        using var admin = host.Client(host.AdminToken, "en");

        var tooOld = await admin.PostAsync("api/reminders/2026-11-01/run?cutoff=16:00", null);
        var badCutoff = await admin.PostAsync("api/reminders/2026-12-09/run?cutoff=4pm", null);

        Assert.Equal(HttpStatusCode.BadRequest, tooOld.StatusCode);
        Assert.Contains("outside the days a cutoff can be run for", JsonDocument.Parse(await tooOld.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("date")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badCutoff.StatusCode);
        Assert.True(JsonDocument.Parse(await badCutoff.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("cutoff", out _));
        Assert.Empty(robot.Requests);
    }

    /// <summary>A day of its own per test: 12:00 in Shanghai on 2026-12-0N.</summary>
    private static (DateOnly Day, DateTimeOffset Now) Day(int n) => (new DateOnly(2026, 12, n), new DateTimeOffset(2026, 12, n, 4, 0, 0, TimeSpan.Zero));

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, string?> Group(int n, string scope, string kind, string url, string? secret = null) => new()
    {
        [$"Pipeline:Reminders:Groups:{n}:Scope"] = scope,
        [$"Pipeline:Reminders:Groups:{n}:Kind"] = kind,
        [$"Pipeline:Reminders:Groups:{n}:Url"] = url,
        [$"Pipeline:Reminders:Groups:{n}:Secret"] = secret,
    };

    private async Task<PipelineHost> StartAsync(DateTimeOffset now, bool timers, Dictionary<string, string?> groups, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(groups)
        {
            ["Pipeline:Reminders:FormUrl"] = FormUrl,
            ["Pipeline:Reminders:RunBudget"] = "00:01:00",
            // The clock stands still while a send holds its claim (DriveUntilAsync), not while an attempt waits for its
            // claim to be written: a generous attempt limit on that clock.
            ["Pipeline:Reminders:AttemptTimeout"] = "00:02:00",
            ["LocalHost:Timers"] = timers ? "on" : "off",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        var host = await PipelineHost.StartAsync(azurite.ConnectionString, settings, configure: b => b.Logging.AddProvider(logs));
        host.Time.SetUtcNow(now);
        return host;
    }

    private static async Task ReportAsync(HttpClient admin, string unit, DateOnly day, string phone)
    {
        var report = Reports.Valid(unit: unit, date: Iso(day));
        report["reporter"] = new Dictionary<string, object?> { ["name"] = "报送员", ["phone"] = phone };
        await admin.SubmitAsync(report);
    }

    /// <summary>POST run, with the pipeline's clock moving meanwhile (retry waits inside the run are on that clock).</summary>
    private async Task<(int Sent, int Skipped, int Failed)> RunAsync(PipelineHost host, DateOnly day, string cutoff, Action? tick = null)
    {
        using var admin = host.AdminClient();
        var call = admin.PostAsync($"api/reminders/{Iso(day)}/run?cutoff={cutoff}", null);
        await DriveUntilAsync(host, () => call.IsCompleted, TimeSpan.FromSeconds(1), host.Time.GetUtcNow().AddMinutes(10), tick);
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("sent").GetInt32(), json.GetProperty("skipped").GetInt32(), json.GetProperty("failed").GetInt32());
    }

    /// <summary>
    /// Moves the pipeline's clock a step at a time, giving the host real time to act between steps, and never while a send
    /// holds a message between its claim and its mark (<see cref="OutboxClaims"/>).
    /// </summary>
    private async Task DriveUntilAsync(PipelineHost host, Func<bool> done, TimeSpan step, DateTimeOffset until, Action? tick = null)
    {
        while (!done())
        {
            Assert.True(host.Time.GetUtcNow() < until, "the clock passed " + until.ToString("u") + " first:\n"
                + string.Join("\n", logs.Lines.Where(l => l.Contains("Remind", StringComparison.Ordinal) || l.Contains("Timer", StringComparison.Ordinal)).TakeLast(30)));
            await Task.Delay(30);
            await OutboxClaims.UntilNoneHeldAsync(host);
            host.Time.Advance(step);
            tick?.Invoke();
        }
    }

    private Task DriveAsync(PipelineHost host, TimeSpan span, Action? tick = null)
    {
        var end = host.Time.GetUtcNow() + span;
        return DriveUntilAsync(host, () => host.Time.GetUtcNow() >= end, TimeSpan.FromSeconds(5), end.AddSeconds(1), tick);
    }
}
