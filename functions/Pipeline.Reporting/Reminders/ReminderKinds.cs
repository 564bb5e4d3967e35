namespace Pipeline.Reporting.Reminders;

public static class ReminderKinds
{
    public static ReminderKind? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "wecom" => ReminderKind.WeCom,
        "dingtalk" => ReminderKind.DingTalk,
        "webhook" => ReminderKind.Webhook,
        _ => null,
    };

    public static string Name(this ReminderKind kind) => kind.ToString().ToLowerInvariant();
}
