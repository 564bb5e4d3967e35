namespace Pipeline.Reporting.Reminders;

/// <summary>How one robot service wants a message: its size limit, how a township's line mentions a phone, the request body.</summary>
public interface IRobotFormat
{
    ReminderKind Kind { get; }

    /// <summary>The most UTF-8 bytes the message text may have.</summary>
    int ContentLimitBytes { get; }

    /// <summary>The township's line after its number: name, code and phone (as this service @-mentions it).</summary>
    string Line(MissingTownship township);

    /// <summary>The JSON request body.</summary>
    string Body(ReminderSubject subject, ReminderPart part);
}
