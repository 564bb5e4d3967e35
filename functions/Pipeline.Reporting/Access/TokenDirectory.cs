using Azure.Data.Tables;
using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Access;

/// <summary>
/// Reads the issued tokens as records (role, scope, label, contact, when issued and last used), never their hashes:
/// for the token list of the console and the contacts of units. A revoked token is not listed.
/// </summary>
public sealed class TokenDirectory(StorageTables tables, TimeProvider time)
{
    public const string Partition = "token";
    public const string ContactName = "ContactName";
    public const string ContactPhone = "ContactPhone";
    public const string LastUsedAt = "lastUsedAt";
    private static readonly string[] RecordProperties = ["RowKey", "role", "scope", "label", ContactName, ContactPhone, "createdAt", LastUsedAt, "revokedAt", TokenStore.ExpiresAtProperty];

    /// <summary>The live tokens whose scope is <paramref name="scope"/> or lies under it (codes under a unit start with its code's prefix).</summary>
    public async Task<IReadOnlyList<TokenRecord>> ListAsync(string scope, Func<string, bool> isWithin, CancellationToken cancellationToken)
    {
        var records = new List<TokenRecord>();
        await foreach (var entity in tables.Tokens.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), select: RecordProperties, cancellationToken: cancellationToken))
        {
            if (Live(entity) && entity.GetString("scope") is { } s && isWithin(s))
            {
                records.Add(RecordOf(entity));
            }
        }

        return records.OrderBy(r => r.Scope, StringComparer.Ordinal).ThenBy(r => r.CreatedAt).ToList();
    }

    public async Task<TokenRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length != 16 || !id.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var stored = await tables.Tokens.GetEntityIfExistsAsync<TableEntity>(Partition, id, RecordProperties, cancellationToken);
        return stored.HasValue && Live(stored.Value!) ? RecordOf(stored.Value!) : null;
    }

    /// <summary>The contact of the newest live reporter token of each of <paramref name="unitCodes"/> that has one.</summary>
    public async Task<Dictionary<string, TokenContact>> ReporterContactsAsync(IReadOnlyCollection<string> unitCodes, CancellationToken cancellationToken)
    {
        var wanted = unitCodes.ToHashSet(StringComparer.Ordinal);
        var newest = new Dictionary<string, TokenRecord>(StringComparer.Ordinal);
        await foreach (var entity in tables.Tokens.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and role eq {nameof(Role.Reporter)}"), select: RecordProperties, cancellationToken: cancellationToken))
        {
            if (!Live(entity) || entity.GetString("scope") is not { } scope || !wanted.Contains(scope))
            {
                continue;
            }

            var record = RecordOf(entity);
            if ((record.ContactName is not null || record.ContactPhone is not null)
                && (!newest.TryGetValue(scope, out var held) || held.CreatedAt < record.CreatedAt))
            {
                newest[scope] = record;
            }
        }

        return newest.ToDictionary(p => p.Key, p => new TokenContact(p.Value.ContactName, p.Value.ContactPhone), StringComparer.Ordinal);
    }

    /// <summary>The townships among <paramref name="unitCodes"/> that have a live reporter token.</summary>
    public async Task<HashSet<string>> UnitsWithReporterTokensAsync(IReadOnlyCollection<string> unitCodes, CancellationToken cancellationToken)
    {
        var wanted = unitCodes.ToHashSet(StringComparer.Ordinal);
        var found = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var entity in tables.Tokens.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and role eq {nameof(Role.Reporter)}"), select: ["scope", "revokedAt", TokenStore.ExpiresAtProperty], cancellationToken: cancellationToken))
        {
            if (Live(entity) && entity.GetString("scope") is { } scope && wanted.Contains(scope))
            {
                found.Add(scope);
            }
        }

        return found;
    }

    /// <summary>Live: not marked revoked (a revoked token may be kept as a record, or deleted), not expired.</summary>
    private bool Live(TableEntity entity) =>
        (!entity.ContainsKey("revokedAt") || entity["revokedAt"] is null)
        && !(entity.GetDateTimeOffset(TokenStore.ExpiresAtProperty) is { } expiresAt && expiresAt <= time.GetUtcNow());

    private static TokenRecord RecordOf(TableEntity e) => new(
        e.RowKey,
        Enum.TryParse<Role>(e.GetString("role"), out var role) ? role : Role.Reporter,
        e.GetString("scope") ?? "",
        e.GetString("label") ?? "",
        NullIfEmpty(e.GetString(ContactName)),
        NullIfEmpty(e.GetString(ContactPhone)),
        e.GetDateTimeOffset("createdAt"),
        e.GetDateTimeOffset(LastUsedAt));

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
