namespace Pipeline.Reporting.Access;

/// <summary>An issued token as listed to officials: never the token, never its hash.</summary>
public sealed record TokenRecord(
    string Id,
    Role Role,
    string Scope,
    string Label,
    string? ContactName,
    string? ContactPhone,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? LastUsedAt);
