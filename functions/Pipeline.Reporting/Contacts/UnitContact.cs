namespace Pipeline.Reporting.Contacts;

/// <summary>Whom to call (or @-mention) about a unit: the latest report's reporter, else the contact its token was issued with.</summary>
public sealed record UnitContact(string UnitCode, string? Name, string? Phone, UnitContactSource Source)
{
    public static UnitContact None(string unitCode) => new(unitCode, null, null, UnitContactSource.None);
}
