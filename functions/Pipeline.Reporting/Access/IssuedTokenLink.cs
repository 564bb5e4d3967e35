namespace Pipeline.Reporting.Access;

/// <summary>A token just issued, with the link (and its expiry) that enrols its holder.</summary>
public sealed record IssuedTokenLink(IssuedToken Token, TokenContact Contact, string Link, DateTimeOffset LinkExpiresAt);
