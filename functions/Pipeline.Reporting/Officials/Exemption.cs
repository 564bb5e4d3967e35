namespace Pipeline.Reporting.Officials;

/// <summary>A township excused from reporting from <see cref="From"/> to <see cref="To"/> (both included), and why.</summary>
public sealed record Exemption(string UnitCode, DateOnly From, DateOnly To, string Reason, string CreatedBy, DateTimeOffset CreatedAt)
{
    public bool Covers(DateOnly date) => From <= date && date <= To;
}
