namespace Pipeline.Reporting.Access;

/// <summary>A token as returned once at issue time; only its hash is stored.</summary>
public sealed record IssuedToken(string Id, string Token, Role Role, string Scope, string Label);
