using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dispatch.Notifications.Channels.Robots;

/// <summary>The robots' signatures, as DingTalk's and Feishu's documentation describe them.</summary>
public static class RobotSignatures
{
    /// <summary>
    /// DingTalk: HMAC-SHA256 keyed with the secret over <c>timestamp + "\n" + secret</c> (the
    /// timestamp in milliseconds), base64, then URL-encoded for the <c>sign</c> query parameter.
    /// </summary>
    public static string DingTalk(long timestampMilliseconds, string secret)
    {
        var stringToSign = timestampMilliseconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret;
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign));
        return Uri.EscapeDataString(Convert.ToBase64String(mac));
    }

    /// <summary>
    /// Feishu: HMAC-SHA256 keyed with <c>timestamp + "\n" + secret</c> (the timestamp in seconds)
    /// over an empty message, base64; it travels in the JSON body next to the timestamp.
    /// </summary>
    public static string Feishu(long timestampSeconds, string secret)
    {
        var key = timestampSeconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret;
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Array.Empty<byte>());
        return Convert.ToBase64String(mac);
    }
}
