using System.Text.Json;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Reminders;

/// <summary>A plain webhook: <c>{date, cutoff, scope, missing: [{code, name, phone}], text}</c>; any 2xx is success.</summary>
public sealed class WebhookFormat : IRobotFormat
{
    public ReminderKind Kind => ReminderKind.Webhook;

    /// <summary>No service limit; long lists are still cut into parts of a size any receiver takes.</summary>
    public int ContentLimitBytes => 32 * 1024;

    public string Line(MissingTownship township) => township.Line("");

    public string Body(ReminderSubject subject, ReminderPart part) => JsonSerializer.Serialize(new
    {
        date = ReportDate.Iso(subject.Date),
        cutoff = subject.Cutoff,
        scope = subject.Scope,
        part = part.Part,
        parts = part.Parts,
        missing = part.Missing.Select(m => new { code = m.Code, name = m.Name, phone = m.Phone }),
        text = part.Text,
    }, JsonDefaults.Web);
}
