namespace Pipeline.Reporting.Contacts;

/// <summary>Where a unit's contact came from: nobody known, the reporter of its latest report, or its reporter token.</summary>
public enum UnitContactSource
{
    None,
    LatestReport,
    Token,
}

/// <summary>Whom to call (or @-mention) about a unit: the latest report's reporter, else the contact its token was issued with.</summary>
public sealed record UnitContact(string UnitCode, string? Name, string? Phone, UnitContactSource Source)
{
    public static UnitContact None(string unitCode) => new(unitCode, null, null, UnitContactSource.None);
}
