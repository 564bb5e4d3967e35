using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Access;

/// <summary>
/// One-time enrolment codes: a link (or its QR code) carries a code, never the token. Redeeming the code gives the
/// token's holder a fresh secret for that token, so the tokens table never holds a usable token; the code is stored
/// only as its hash and works once, until <see cref="PipelineOptions.EnrolmentDays"/> have passed. A printed sheet
/// found after the reporter enrolled opens nothing.
/// </summary>
public sealed class Enrolments(StorageTables tables, TimeProvider time, IOptions<PipelineOptions> options)
{
    private const string Partition = "enrol";

    public async Task<EnrolmentCode> CreateAsync(string tokenId, CancellationToken cancellationToken)
    {
        var code = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
        var expiresAt = time.GetUtcNow().AddDays(options.Value.EnrolmentDays);
        await tables.Tokens.AddEntityAsync(new TableEntity(Partition, Key(code))
        {
            ["tokenId"] = tokenId,
            ["expiresAt"] = expiresAt,
        }, cancellationToken);
        return new EnrolmentCode(code, expiresAt);
    }

    /// <summary>The token for <paramref name="code"/>, once; null for a used, expired or unknown code, or a revoked token.</summary>
    public async Task<IssuedToken?> RedeemAsync(string code, CancellationToken cancellationToken)
    {
        if (code.Length is 0 or > 64 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        var stored = await tables.Tokens.GetEntityIfExistsAsync<TableEntity>(Partition, Key(code), cancellationToken: cancellationToken);
        if (!stored.HasValue || stored.Value!.ContainsKey("usedAt")
            || stored.Value.GetDateTimeOffset("expiresAt") is not { } expiresAt || expiresAt <= time.GetUtcNow()
            || stored.Value.GetString("tokenId") is not { } tokenId)
        {
            return null;
        }

        var token = await tables.Tokens.GetEntityIfExistsAsync<TableEntity>(TokenDirectory.Partition, tokenId, cancellationToken: cancellationToken);
        if (!token.HasValue || token.Value!.ContainsKey("revokedAt"))
        {
            return null;
        }

        // Spend the code first, on the ETag read: of two browsers redeeming at once, one wins and the other gets nothing.
        var enrolment = stored.Value;
        enrolment["usedAt"] = time.GetUtcNow();
        try
        {
            await tables.Tokens.UpdateEntityAsync(enrolment, enrolment.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }

        var (fresh, secret) = TokenFormat.NewSecretFor(tokenId);
        var entity = token.Value;
        entity["hash"] = TokenFormat.Hash(secret);
        entity["enrolledAt"] = time.GetUtcNow();
        await tables.Tokens.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Merge, cancellationToken);
        var role = Enum.Parse<Role>(entity.GetString("role"));
        return new IssuedToken(tokenId, fresh, role, entity.GetString("scope"), entity.GetString("label") ?? "");
    }

    private static string Key(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}
