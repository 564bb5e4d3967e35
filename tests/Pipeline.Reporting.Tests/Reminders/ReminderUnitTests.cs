using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Reporting.Reminders;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Tests.Reminders;

public sealed class ReminderUnitTests
{
    private static readonly UnitRegistry Units = UnitRegistry.LoadEmbedded();

    /// <summary>
    /// The default settings against the spec, over the timer's real shape: a run every minute sends what is due and
    /// retries in-process until its budget ends; a retry due after that waits for the next run. Every attempt fails.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(39)]
    [InlineData(40)]
    [InlineData(55)]
    public void The_default_retry_schedule_retries_within_10_s_then_at_most_60_s_apart_for_at_least_an_hour(int secondsIntoTheMinute)
    {
        var options = new ReminderOptions();
        var schedule = ReminderRetrySchedule.From(options);
        var tick = TimeSpan.FromMinutes(1);
        var recorded = DateTimeOffset.UnixEpoch + TimeSpan.FromSeconds(secondsIntoTheMinute);
        var attempts = new List<DateTimeOffset> { recorded };
        DateTimeOffset RunStart(DateTimeOffset t) => DateTimeOffset.UnixEpoch + tick * Math.Floor((t - DateTimeOffset.UnixEpoch) / tick);
        while (!schedule.GivesUp(recorded, attempts[^1]))
        {
            var failedAt = attempts[^1];
            var due = failedAt + schedule.DelayAfter(attempts.Count);
            // The run that saw the failure retries itself when the schedule says so; else the run whose budget holds
            // the due time tries it then, or the next run tries it as it starts.
            attempts.Add(schedule.RetriesInRun(failedAt, attempts.Count, RunStart(failedAt) + options.TimerBudget) || due <= RunStart(due) + options.TimerBudget
                ? due
                : RunStart(due) + tick);
            Assert.True(attempts.Count < 1000);
        }

        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps[0] <= TimeSpan.FromSeconds(10), $"first retry after {gaps[0]}");
        Assert.True(gaps.Max() <= TimeSpan.FromSeconds(60), $"longest gap {gaps.Max()}");
        Assert.True(attempts[^1] - recorded >= TimeSpan.FromHours(1), $"gave up after {attempts[^1] - recorded}");
        // One message never comes near a robot's 20 a minute on its own; the gate covers many messages.
        Assert.True(attempts.GroupBy(a => (a - DateTimeOffset.UnixEpoch).Ticks / tick.Ticks).Max(g => g.Count()) <= 20);
    }

    [Fact]
    public void The_schedule_doubles_from_the_first_delay_up_to_the_longest()
    {
        var schedule = new ReminderRetrySchedule(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(40), TimeSpan.FromHours(1));
        Assert.Equal([5, 10, 20, 40, 40, 40], Enumerable.Range(1, 6).Select(n => schedule.DelayAfter(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(40), new ReminderOptions().MaxRetryDelay);
    }

    [Fact]
    public async Task The_rate_gate_lets_20_messages_a_minute_through_to_one_robot_and_holds_the_21st()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var gate = new RobotRateGate(time, 20);
        for (var i = 0; i < 20; i++)
        {
            await gate.WaitAsync("robot-a", CancellationToken.None);
        }

        var twentyFirst = gate.WaitAsync("robot-a", CancellationToken.None);
        await gate.WaitAsync("robot-b", CancellationToken.None); // another robot is not held
        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50);
        Assert.False(twentyFirst.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await twentyFirst.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void The_dingtalk_signature_is_the_documented_hmac_url_encoded()
    {
        // Expected value computed independently (Python hmac/base64/urllib.parse.quote_plus).
        var url = DingTalkSigner.SignedUrl("https://oapi.dingtalk.com/robot/send?access_token=T", "SECabc123", DateTimeOffset.FromUnixTimeMilliseconds(1764547200000));
        Assert.Equal("https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1764547200000&sign=%2FrxQ423JYW%2FS56t5R0TGv9rVQDNj2YeYeqOzs8WB3VA%3D", url.AbsoluteUri);
    }

    [Theory]
    [InlineData("wecom", 2048)]
    [InlineData("dingtalk", 4096)]
    public void A_long_list_is_split_into_parts_within_the_services_byte_limit_naming_every_township_once(string kind, int limit)
    {
        IRobotFormat format = kind == "wecom" ? new WeComFormat() : new DingTalkFormat();
        var county = Units.Find("623023")!;
        var missing = Enumerable.Range(0, 150)
            .Select(i => new MissingTownship($"6230231{i:D2}", "很长的乡镇名称测试用例第" + i + "号", county.Code, i % 2 == 0 ? $"1390000{i:D4}" : null))
            .ToList();

        var parts = new ReminderComposer().CountyReminder(format, new DateOnly(2026, 12, 1), new TimeOnly(16, 0), new TimeOnly(22, 0), county, missing, "https://x.test/api/form");

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(Encoding.UTF8.GetByteCount(p.Text) <= limit, $"part {p.Part}: {Encoding.UTF8.GetByteCount(p.Text)} bytes"));
        Assert.All(parts, p => Assert.Contains($"（第 {p.Part}/{parts.Count} 条）", p.Text, StringComparison.Ordinal));
        Assert.All(parts, p => Assert.EndsWith("请尽快填报：https://x.test/api/form", p.Text, StringComparison.Ordinal));
        Assert.Equal(missing.Select(m => m.Code), parts.SelectMany(p => p.Missing).Select(m => m.Code));
        Assert.Equal(missing.Where(m => m.Phone is not null).Select(m => m.Phone), parts.SelectMany(p => p.Mentions));
        var body = JsonDocument.Parse(format.Body(new ReminderSubject(new DateOnly(2026, 12, 1), "16:00", county.Code), parts[0])).RootElement;
        Assert.Equal("text", body.GetProperty("msgtype").GetString());
    }

    [Fact]
    public void The_prefecture_escalation_counts_and_names_per_county_and_mentions_nobody()
    {
        var counties = Units.Counties.Select(c => (c, (IReadOnlyList<MissingTownship>)Units.TownshipsWithin(c.Code).Take(c.Code == "623024" ? 2 : 0)
            .Select(t => new MissingTownship(t.Code, t.NameZh, c.Code, null)).ToList())).ToList();

        var part = Assert.Single(new ReminderComposer().PrefectureEscalation(new WeComFormat(), new DateOnly(2026, 12, 1), new TimeOnly(22, 0), new TimeOnly(22, 0),
            Units.Root, Units.Townships.Count, counties));

        var names = Units.TownshipsWithin("623024").Take(2).Select(t => t.NameZh);
        Assert.Contains($"迭部县 2 个：{string.Join("、", names)}", part.Text, StringComparison.Ordinal);
        Assert.Contains("已过截止时间 22:00", part.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("合作市", part.Text, StringComparison.Ordinal);
        Assert.Empty(part.Mentions);
    }

    [Fact]
    public void Settings_are_checked_at_start_up_with_the_setting_named_and_no_url_shown()
    {
        var options = new ReminderOptions
        {
            Times = "10:00,25:00",
            Groups =
            [
                new() { Scope = "623024", Kind = "wecom", Url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ok" },
                new() { Scope = "623024100", Kind = "slack", Url = "http://hooks.example.com/secret-key-123", Times = "9:00" },
                new() { Scope = "623000", Kind = "dingtalk", Url = "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/x)" },
                new() { Scope = "623025", Kind = "webhook", Url = "http://127.0.0.1:7172/hook" },
            ],
        };

        var result = new ReminderOptionsValidator(Units).Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Pipeline:Reminders:Times '10:00,25:00'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Pipeline:Reminders:Groups:1:Scope '623024100' must be a county code or the prefecture", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Pipeline:Reminders:Groups:1:Kind 'slack'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Pipeline:Reminders:Groups:1:Times '9:00'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Pipeline:Reminders:Groups:1:Url must be an absolute https address", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Pipeline:Reminders:Groups:2: the Url or Secret is an unresolved Key Vault reference", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("Groups:0", StringComparison.Ordinal) || f.Contains("Groups:3", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("secret-key-123", StringComparison.Ordinal) || f.Contains("hooks.example.com", StringComparison.Ordinal));
        Assert.Equal(6, failures.Count);
    }
}
