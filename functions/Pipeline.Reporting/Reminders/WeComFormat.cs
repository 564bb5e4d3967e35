using System.Text.Json;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// WeCom (企业微信) group robot: <c>{"msgtype":"text","text":{"content","mentioned_mobile_list"}}</c>; text content at
/// most 2,048 bytes. The phone is @-mentioned through the list and also shown in the line, so officials can call.
/// </summary>
public sealed class WeComFormat : IRobotFormat
{
    public ReminderKind Kind => ReminderKind.WeCom;

    public int ContentLimitBytes => 2048;

    public string Line(MissingTownship township) => township.Line("");

    public string Body(ReminderSubject subject, ReminderPart part) => JsonSerializer.Serialize(new
    {
        msgtype = "text",
        text = new { content = part.Text, mentioned_mobile_list = part.Mentions },
    }, JsonDefaults.Web);
}
