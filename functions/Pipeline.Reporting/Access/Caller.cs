namespace Pipeline.Reporting.Access;

/// <summary>Who made a request: the role and scope of the presented token.</summary>
/// <param name="TokenId">The issued token's id, or <c>bootstrap</c> for the configured admin token.</param>
public sealed record Caller(string TokenId, Role Role, string Scope);
