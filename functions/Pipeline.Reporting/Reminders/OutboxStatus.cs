namespace Pipeline.Reporting.Reminders;

/// <summary>The state of one recorded message.</summary>
public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}
