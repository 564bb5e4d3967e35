namespace Pipeline.Reporting.Access;

/// <summary>What a caller asks to be issued: one token, or a reporter token for every township of an area that has none.</summary>
public sealed record TokenOrder(string? Role, string? Scope, string? Label, string? ContactName, string? ContactPhone, bool AllWithoutToken);
