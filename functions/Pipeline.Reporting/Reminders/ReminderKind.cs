namespace Pipeline.Reporting.Reminders;

/// <summary>The robot services a group may be reached through.</summary>
public enum ReminderKind
{
    WeCom,
    DingTalk,
    Webhook,
}
