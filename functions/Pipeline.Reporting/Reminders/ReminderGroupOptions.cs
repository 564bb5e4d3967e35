namespace Pipeline.Reporting.Reminders;

/// <summary>One group robot: <c>Pipeline:Reminders:Groups:N</c>. Url and secret are secrets (Key Vault references in Azure).</summary>
public sealed class ReminderGroupOptions
{
    /// <summary>A county code, or the prefecture's.</summary>
    public string? Scope { get; set; }

    /// <summary><c>wecom</c>, <c>dingtalk</c> or <c>webhook</c>.</summary>
    public string? Kind { get; set; }

    public string? Url { get; set; }

    /// <summary>DingTalk signing secret (optional).</summary>
    public string? Secret { get; set; }

    /// <summary>This group's own cutoffs (comma-separated <c>HH:mm</c>), overriding <c>Pipeline:Reminders:Times</c>.</summary>
    public string? Times { get; set; }

    public ReminderKind ParsedKind => ReminderKinds.Parse(Kind) ?? ReminderKind.Webhook;
}
