using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// Posts one message body to a group's robot and reads the answer as the service documents it: WeCom and DingTalk
/// accept with HTTP 200 and <c>{"errcode":0}</c> (any other errcode, e.g. 45009 / 130101 "too many messages", is a
/// failure); a plain webhook accepts with any 2xx. The HttpClient has no request logging: a robot url holds its key.
/// </summary>
public sealed class RobotClient(IHttpClientFactory clients, TimeProvider time)
{
    public const string HttpClientName = "reminders";

    public async Task<RobotAnswer> PostAsync(ReminderGroupOptions group, string body, CancellationToken cancellationToken)
    {
        var kind = group.ParsedKind;
        var url = kind == ReminderKind.DingTalk && !string.IsNullOrEmpty(group.Secret)
            ? DingTalkSigner.SignedUrl(group.Url!, group.Secret, time.GetUtcNow())
            : new Uri(group.Url!);
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        try
        {
            using var response = await clients.CreateClient(HttpClientName).PostAsync(url, content, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is < 200 or > 299)
            {
                return new RobotAnswer(false, $"HTTP {status}");
            }

            if (kind == ReminderKind.Webhook)
            {
                return RobotAnswer.Ok;
            }

            return ReadErrcode(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException e)
        {
            // The message of a connection error names host and port; the kind of error is all that is kept.
            return new RobotAnswer(false, $"network: {e.HttpRequestError}");
        }
    }

    private static RobotAnswer ReadErrcode(string answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("errcode", out var code) && code.TryGetInt32(out var errcode))
            {
                var errmsg = json.RootElement.TryGetProperty("errmsg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return errcode == 0 ? RobotAnswer.Ok : new RobotAnswer(false, $"errcode {errcode}" + (errmsg is { Length: > 0 } ? $": {Short(errmsg)}" : ""));
            }
        }
        catch (JsonException)
        {
        }

        return new RobotAnswer(false, "answer without errcode");
    }

    /// <summary>The start of the service's message, without anything that looks like an address.</summary>
    private static string Short(string errmsg)
    {
        var cut = errmsg.IndexOf("http", StringComparison.OrdinalIgnoreCase);
        var text = cut >= 0 ? errmsg[..cut] : errmsg;
        return (text.Length > 80 ? text[..80] : text).Trim();
    }
}
