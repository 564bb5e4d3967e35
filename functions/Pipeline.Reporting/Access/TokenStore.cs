using Azure;
using Azure.Data.Tables;
using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Access;

/// <summary>
/// Issued tokens, stored as SHA-256 hashes of their secrets; one point read per lookup, remembered for
/// <see cref="CacheFor"/> so that a phone's every submit does not cost a read. A revocation takes effect at
/// once on the instance that revoked and within <see cref="CacheFor"/> on the others; ids with no token are
/// remembered for <see cref="UnknownCacheFor"/>. Queued work re-checks with <see cref="GetStandingAsync"/>.
/// </summary>
public sealed class TokenStore(StorageTables tables, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>How long an id with no token is remembered as unknown: junk tokens cost one read per id in this time.</summary>
    public static readonly TimeSpan UnknownCacheFor = TimeSpan.FromSeconds(10);

    /// <summary>Optional: when set on a token, the token stops working at that instant.</summary>
    public const string ExpiresAtProperty = "expiresAt";
    private const string Partition = "token";
    private readonly TokenCache cache = new();

    public async Task<IssuedToken> IssueAsync(Role role, string scope, string label, CancellationToken cancellationToken, TokenContact? contact = null)
    {
        var (id, token) = TokenFormat.NewToken();
        TokenFormat.TryParse(token, out _, out var secret);
        await tables.Tokens.AddEntityAsync(new TableEntity(Partition, id)
        {
            ["hash"] = TokenFormat.Hash(secret),
            ["role"] = role.ToString(),
            ["scope"] = scope,
            ["label"] = label,
            ["createdAt"] = time.GetUtcNow(),
            [TokenDirectory.ContactName] = contact?.Name,
            [TokenDirectory.ContactPhone] = contact?.Phone,
        }, cancellationToken);
        return new IssuedToken(id, token, role, scope, label);
    }

    public async Task<Caller?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!TokenFormat.TryParse(token, out var id, out var secret))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (!cache.TryGetFresh(id, now, out var known))
        {
            var seen = known;
            known = await ReadAsync(id, cancellationToken) is { } stored && Standing(stored, now) == TokenStanding.Active
                ? new TokenCache.Entry(CallerOf(stored), stored.GetBinary("hash"), Min(now + CacheFor, stored.GetDateTimeOffset(ExpiresAtProperty)))
                : TokenCache.Entry.None(now + UnknownCacheFor);
            cache.Remember(id, seen, known, now);
        }

        return known!.Caller is not null && TokenFormat.Matches(secret, known.Hash!) ? known.Caller : null;
    }

    /// <summary>
    /// Whether a token is still in force, read from storage now (not from the cache): a queued batch asks this
    /// before it stores rows, so a revocation on any instance stops it.
    /// </summary>
    public async Task<TokenStanding> GetStandingAsync(string id, CancellationToken cancellationToken) =>
        id.Length == 16 && id.All(char.IsAsciiHexDigitLower) && await ReadAsync(id, cancellationToken) is { } stored
            ? Standing(stored, time.GetUtcNow())
            : TokenStanding.Revoked;

    /// <summary>How many token ids are remembered now (bounded by <see cref="TokenCache.MaxEntries"/>).</summary>
    public int CachedCount => cache.Count;

    private async Task<TableEntity?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var stored = await tables.Tokens.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return stored.HasValue && stored.Value!.GetBinary("hash") is not null ? stored.Value : null;
    }

    private static TokenStanding Standing(TableEntity stored, DateTimeOffset now) =>
        stored.GetDateTimeOffset(ExpiresAtProperty) is { } expiresAt && expiresAt <= now ? TokenStanding.Expired : TokenStanding.Active;

    private static Caller CallerOf(TableEntity stored) =>
        new(stored.RowKey, Enum.Parse<Role>(stored.GetString("role")), stored.GetString("scope"));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset? b) => b is { } other && other < a ? other : a;

    /// <summary>Revokes a token; false when no such token exists.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length != 16 || !id.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        // The SDK treats deleting a missing entity as success, so look first to answer 404 for an unknown id.
        var stored = await tables.Tokens.GetEntityIfExistsAsync<TableEntity>(Partition, id, ["PartitionKey"], cancellationToken);
        if (!stored.HasValue)
        {
            return false;
        }

        await tables.Tokens.DeleteEntityAsync(Partition, id, ETag.All, cancellationToken);
        cache.Revoked(id, time.GetUtcNow() + UnknownCacheFor);
        return true;
    }
}
