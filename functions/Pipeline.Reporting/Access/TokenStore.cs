using Azure;
using Azure.Data.Tables;
using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Access;

/// <summary>Issued tokens, stored as SHA-256 hashes of their secrets; one point read per lookup.</summary>
public sealed class TokenStore(StorageTables tables, TimeProvider time)
{
    private const string Partition = "token";

    public async Task<IssuedToken> IssueAsync(Role role, string scope, string label, CancellationToken cancellationToken)
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
        }, cancellationToken);
        return new IssuedToken(id, token, role, scope, label);
    }

    public async Task<Caller?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!TokenFormat.TryParse(token, out var id, out var secret))
        {
            return null;
        }

        var stored = await tables.Tokens.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        if (!stored.HasValue || stored.Value!.GetBinary("hash") is not { } hash || !TokenFormat.Matches(secret, hash))
        {
            return null;
        }

        return new Caller(id, Enum.Parse<Role>(stored.Value.GetString("role")), stored.Value.GetString("scope"));
    }

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
        return true;
    }
}
