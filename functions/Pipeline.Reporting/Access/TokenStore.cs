using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Access;

/// <summary>
/// Issued tokens, stored as SHA-256 hashes of their secrets; one point read per lookup, remembered for
/// <see cref="CacheFor"/> so that a phone's every submit does not cost a read. A revocation takes effect at
/// once on the instance that revoked and within <see cref="CacheFor"/> on the others.
/// </summary>
public sealed class TokenStore(StorageTables tables, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private const string Partition = "token";
    private readonly ConcurrentDictionary<string, CachedToken> cache = new(StringComparer.Ordinal);

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

        if (!cache.TryGetValue(id, out var known) || known.Expires < time.GetUtcNow())
        {
            var stored = await tables.Tokens.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
            if (!stored.HasValue || stored.Value!.GetBinary("hash") is not { } storedHash)
            {
                cache.TryRemove(id, out _);
                return null;
            }

            known = new CachedToken(
                new Caller(id, Enum.Parse<Role>(stored.Value.GetString("role")), stored.Value.GetString("scope")),
                storedHash,
                time.GetUtcNow() + CacheFor);
            cache[id] = known;
        }

        return TokenFormat.Matches(secret, known.Hash) ? known.Caller : null;
    }

    private sealed record CachedToken(Caller Caller, byte[] Hash, DateTimeOffset Expires);

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
        cache.TryRemove(id, out _);
        return true;
    }
}
