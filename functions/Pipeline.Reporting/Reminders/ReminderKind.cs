namespace Pipeline.Reporting.Reminders;

/// <summary>The robot services a group may be reached through.</summary>
public enum ReminderKind
{
    WeCom,
    DingTalk,
    Webhook,
}

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
