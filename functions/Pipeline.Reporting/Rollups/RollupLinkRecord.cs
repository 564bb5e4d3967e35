using Pipeline.Reporting.Access;

namespace Pipeline.Reporting.Rollups;

/// <summary>One issued link, as the log keeps it: who asked (token id, never the token), for which file, when, until when.</summary>
public sealed record RollupLinkRecord(
    string Date, string Scope, int Revision, string File, string TokenId, string Role, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
