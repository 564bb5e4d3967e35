namespace Pipeline.Reporting.Access;

/// <summary>Whether a token may still act: what a queued batch checks before its rows are stored.</summary>
public enum TokenStanding
{
    Active,

    /// <summary>Revoked, or never issued: the token's record is gone.</summary>
    Revoked,

    Expired,
}
