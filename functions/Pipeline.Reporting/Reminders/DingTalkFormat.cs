using System.Text.Json;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// DingTalk (钉钉) custom robot: <c>{"msgtype":"text","text":{"content"},"at":{"atMobiles"}}</c>. DingTalk renders an
/// @-mention only where <c>@phone</c> stands in the content, so the line carries it. Text is kept to 4,096 bytes
/// (DingTalk documents a larger limit; a shorter message reads better on a phone and stays well inside it).
/// </summary>
public sealed class DingTalkFormat : IRobotFormat
{
    public ReminderKind Kind => ReminderKind.DingTalk;

    public int ContentLimitBytes => 4096;

    public string Line(MissingTownship township) => township.Line("@");

    public string Body(ReminderSubject subject, ReminderPart part) => JsonSerializer.Serialize(new
    {
        msgtype = "text",
        text = new { content = part.Text },
        at = new { atMobiles = part.Mentions, isAtAll = false },
    }, JsonDefaults.Web);
}
