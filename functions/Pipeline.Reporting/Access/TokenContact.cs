namespace Pipeline.Reporting.Access;

/// <summary>The person a reporter token was issued for, given by the official who issued it.</summary>
public sealed record TokenContact(string? Name, string? Phone);
