using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Access;

/// <summary>Turns an <c>Authorization: Bearer</c> header into a <see cref="Caller"/>, or nobody.</summary>
public sealed class Authenticator(TokenStore tokens, IOptions<PipelineOptions> options, UnitRegistry units)
{
    public const string BootstrapTokenId = "bootstrap";
    private readonly byte[]? adminTokenHash = options.Value.AdminToken is { Length: > 0 } admin
        ? SHA256.HashData(Encoding.UTF8.GetBytes(admin))
        : null;

    public async Task<Caller?> AuthenticateAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        const string scheme = "Bearer ";
        if (authorizationHeader is null
            || !authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            || authorizationHeader.Length > 512)
        {
            return null;
        }

        var token = authorizationHeader[scheme.Length..].Trim();
        if (token.Length == 0)
        {
            return null;
        }

        if (adminTokenHash is not null
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), adminTokenHash))
        {
            return new Caller(BootstrapTokenId, Role.Admin, units.Root.Code);
        }

        return await tokens.FindAsync(token, cancellationToken);
    }

    /// <summary>
    /// Whether the token behind <paramref name="tokenId"/> may still act, read from storage now. The bootstrap admin
    /// token stands while an admin token is configured (rotating it is replacing the secret; see the README).
    /// </summary>
    public Task<TokenStanding> GetStandingAsync(string tokenId, CancellationToken cancellationToken) =>
        tokenId == BootstrapTokenId
            ? Task.FromResult(adminTokenHash is null ? TokenStanding.Revoked : TokenStanding.Active)
            : tokens.GetStandingAsync(tokenId, cancellationToken);
}
