using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Reporting.Access;

/// <summary>
/// Tokens look like <c>pt_{id}_{secret}</c>: the id finds the stored record with one point read,
/// the 256-bit secret is checked against its SHA-256 hash in constant time.
/// </summary>
internal static class TokenFormat
{
    private const string Prefix = "pt_";

    public static (string Id, string Token) NewToken()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (id, $"{Prefix}{id}_{secret}");
    }

    /// <summary>A fresh secret for an existing token id (an enrolment hands out a new secret), and the token it makes.</summary>
    public static (string Token, string Secret) NewSecretFor(string id)
    {
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{id}_{secret}", secret);
    }

    public static bool TryParse(string token, out string id, out string secret)
    {
        id = secret = "";
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 128)
        {
            return false;
        }

        var separator = token.IndexOf('_', Prefix.Length);
        if (separator != Prefix.Length + 16)
        {
            return false;
        }

        id = token[Prefix.Length..separator];
        secret = token[(separator + 1)..];
        return id.All(char.IsAsciiHexDigitLower) && secret.Length > 0;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string presented, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(presented), storedHash);
}
