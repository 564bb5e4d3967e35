using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Access;

/// <summary>The access rules of the spec, section 6, in one place.</summary>
public sealed class AccessPolicy(UnitRegistry units)
{
    /// <summary>Submit for and read the reports of one unit.</summary>
    public bool CanAccessUnit(Caller caller, string unitCode) => caller.Role switch
    {
        Role.Admin => true,
        Role.Reporter => caller.Scope == unitCode,
        Role.Official => units.IsWithin(unitCode, caller.Scope),
        _ => false,
    };

    /// <summary>Completeness and rollups of an area: officials within their scope, admin anywhere.</summary>
    public bool CanViewArea(Caller caller, string areaCode) => caller.Role switch
    {
        Role.Admin => true,
        Role.Official => units.IsWithin(areaCode, caller.Scope),
        _ => false,
    };

    public static bool CanBackfill(Caller caller) => caller.Role == Role.Admin;

    /// <summary>Whether a token of this role may be given this scope.</summary>
    public bool IsValidScope(Role role, string scope) => role switch
    {
        Role.Reporter => units.IsTownship(scope),
        Role.Official => units.Find(scope) is { Level: UnitLevel.County or UnitLevel.Prefecture },
        Role.Admin => scope == units.Root.Code,
        _ => false,
    };

    /// <summary>Section 7: admin issues any token; an official issues reporter tokens for townships in its scope.</summary>
    public bool CanIssue(Caller caller, Role role, string scope) => caller.Role switch
    {
        Role.Admin => true,
        Role.Official => role == Role.Reporter && units.IsWithin(scope, caller.Scope),
        _ => false,
    };

    /// <summary>Section 7: an official revokes the reporter tokens of its scope; admin any token.</summary>
    public bool CanRevoke(Caller caller, TokenRecord token) => caller.Role switch
    {
        Role.Admin => true,
        Role.Official => token.Role == Role.Reporter && units.IsWithin(token.Scope, caller.Scope),
        _ => false,
    };
}
