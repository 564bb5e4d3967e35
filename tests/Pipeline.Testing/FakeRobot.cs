using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Testing;

/// <summary>
/// A local receiver that speaks the three services' documented formats: WeCom <c>/cgi-bin/webhook/send?key=</c>
/// (text content at most 2,048 bytes), DingTalk <c>/robot/send?access_token=&amp;timestamp=&amp;sign=</c> (signature checked
/// against the secret, timestamp within an hour, content at most 20,000 bytes), and a plain <c>/hook</c>. WeCom and DingTalk
/// answer HTTP 200 <c>{"errcode":N,"errmsg":...}</c>. Scripted faults: errcodes to answer first, a time until which the
/// robot is down (connections dropped), a gate that holds the answer to the first accepted request.
/// </summary>
public sealed class FakeRobot : IAsyncDisposable
{
    public const string DingTalkSecret = "SECtest-signing-secret";
    public const string WeComKey = "wecom-key-0b5e";
    public const string DingTalkToken = "ding-token-77aa";

    private readonly WebApplication app;
    private readonly TimeProvider clock;

    private FakeRobot(WebApplication app, TimeProvider clock)
    {
        this.app = app;
        this.clock = clock;
    }

    public ConcurrentQueue<RobotRequest> Requests { get; } = new();

    /// <summary>Errcodes answered (in order) before the robot accepts again: 45009 is WeCom's "too many messages".</summary>
    public ConcurrentQueue<int> FailFirst { get; } = new();

    /// <summary>Until this time (the pipeline's clock), every connection is dropped without an answer.</summary>
    public DateTimeOffset DownUntil { get; set; }

    /// <summary>When set, the first accepted request is recorded and its answer held until this completes.</summary>
    public TaskCompletionSource? HoldFirstAnswer { get; set; }

    /// <summary>Completes when the first accepted request is recorded and its answer held (<see cref="HoldFirstAnswer"/>).</summary>
    public TaskCompletionSource FirstAnswerHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri BaseAddress { get; private set; } = null!;

    public string WeComUrl => $"{BaseAddress}cgi-bin/webhook/send?key={WeComKey}";

    public string DingTalkUrl => $"{BaseAddress}robot/send?access_token={DingTalkToken}";

    public string WebhookUrl => $"{BaseAddress}hook";

    public IReadOnlyList<RobotRequest> Accepted => Requests.Where(r => r.Accepted).ToList();

    public static async Task<FakeRobot> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var robot = new FakeRobot(app, clock);
        app.MapPost("/cgi-bin/webhook/send", robot.WeComAsync);
        app.MapPost("/robot/send", robot.DingTalkAsync);
        app.MapPost("/hook", robot.WebhookAsync);
        await app.StartAsync();
        robot.BaseAddress = ListeningAddress.Of(app);
        return robot;
    }

    private async Task WeComAsync(HttpContext context)
    {
        if (await ReadAsync(context) is not { } body)
        {
            return;
        }

        if (context.Request.Query["key"] != WeComKey)
        {
            await AnswerAsync(context, "wecom", body, 93000, "invalid webhook url");
            return;
        }

        var content = body.GetProperty("text").GetProperty("content").GetString()!;
        var valid = body.GetProperty("msgtype").GetString() == "text"
                    && body.GetProperty("text").GetProperty("mentioned_mobile_list").ValueKind == JsonValueKind.Array;
        await AnswerAsync(context, "wecom", body, !valid ? 40008 : Encoding.UTF8.GetByteCount(content) > 2048 ? 40058 : 0, "content");
    }

    private async Task DingTalkAsync(HttpContext context)
    {
        if (await ReadAsync(context) is not { } body)
        {
            return;
        }

        var query = context.Request.Query;
        var signed = long.TryParse(query["timestamp"], out var timestamp)
                     && Math.Abs(clock.GetUtcNow().ToUnixTimeMilliseconds() - timestamp) < 3_600_000
                     && query["sign"] == Convert.ToBase64String(HMACSHA256.HashData(
                         Encoding.UTF8.GetBytes(DingTalkSecret), Encoding.UTF8.GetBytes($"{timestamp}\n{DingTalkSecret}")));
        if (query["access_token"] != DingTalkToken || !signed)
        {
            await AnswerAsync(context, "dingtalk", body, 310000, "sign not match");
            return;
        }

        var content = body.GetProperty("text").GetProperty("content").GetString()!;
        var valid = body.GetProperty("msgtype").GetString() == "text" && body.GetProperty("at").GetProperty("atMobiles").ValueKind == JsonValueKind.Array;
        await AnswerAsync(context, "dingtalk", body, !valid ? 40035 : Encoding.UTF8.GetByteCount(content) > 20_000 ? 460101 : 0, "content");
    }

    private async Task WebhookAsync(HttpContext context)
    {
        if (await ReadAsync(context) is not { } body)
        {
            return;
        }

        if (FailFirst.TryDequeue(out _))
        {
            Requests.Enqueue(new RobotRequest("webhook", "", body, false, clock.GetUtcNow()));
            context.Response.StatusCode = 503;
            return;
        }

        Requests.Enqueue(new RobotRequest("webhook", body.GetProperty("text").GetString()!, body, true, clock.GetUtcNow()));
        context.Response.StatusCode = 204;
    }

    /// <summary>The JSON body, or null when the robot is down (the connection is dropped).</summary>
    private async Task<JsonElement?> ReadAsync(HttpContext context)
    {
        if (clock.GetUtcNow() < DownUntil)
        {
            context.Abort();
            return null;
        }

        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            context.Response.StatusCode = 415;
            return null;
        }

        return (await JsonDocument.ParseAsync(context.Request.Body)).RootElement.Clone();
    }

    private async Task AnswerAsync(HttpContext context, string kind, JsonElement body, int errcode, string errmsg)
    {
        if (errcode == 0 && FailFirst.TryDequeue(out var scripted))
        {
            (errcode, errmsg) = (scripted, "api freq out of limit");
        }

        var content = body.TryGetProperty("text", out var text) && text.TryGetProperty("content", out var c) ? c.GetString()! : "";
        Requests.Enqueue(new RobotRequest(kind, content, body, errcode == 0, clock.GetUtcNow()));
        if (errcode == 0 && HoldFirstAnswer is { } hold && Requests.Count(r => r.Accepted) == 1)
        {
            FirstAnswerHeld.TrySetResult();
            await hold.Task;
        }

        await context.Response.WriteAsJsonAsync(new { errcode, errmsg = errcode == 0 ? "ok" : errmsg });
    }

    public async ValueTask DisposeAsync()
    {
        HoldFirstAnswer?.TrySetResult();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
