using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// DingTalk robot signing: <c>&amp;timestamp=&lt;ms&gt;&amp;sign=urlencode(base64(HMAC-SHA256(key: secret, data: timestamp + "\n" + secret)))</c>.
/// </summary>
public static class DingTalkSigner
{
    public static string Sign(long timestampMs, string secret)
    {
        var data = Encoding.UTF8.GetBytes(timestampMs.ToString(CultureInfo.InvariantCulture) + "\n" + secret);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));
    }

    public static Uri SignedUrl(string url, string secret, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeMilliseconds();
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return new Uri($"{url}{separator}timestamp={timestamp.ToString(CultureInfo.InvariantCulture)}&sign={Uri.EscapeDataString(Sign(timestamp, secret))}");
    }
}
