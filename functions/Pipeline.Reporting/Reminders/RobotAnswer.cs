namespace Pipeline.Reporting.Reminders;

/// <summary>
/// What a robot service answered to one attempt. <see cref="Error"/> is short and safe to log and show: a status,
/// an errcode, a network error kind; never the url. <see cref="Lost"/>: another sender took the message first.
/// </summary>
public sealed record RobotAnswer(bool Accepted, string? Error, bool Lost = false)
{
    public static readonly RobotAnswer Ok = new(true, null);

    public static readonly RobotAnswer TakenByAnother = new(false, null, Lost: true);

    public bool ShouldRetry => !Accepted && !Lost;
}
