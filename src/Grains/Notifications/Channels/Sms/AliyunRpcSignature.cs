using System.Security.Cryptography;
using System.Text;

namespace Dispatch.Notifications.Channels.Sms;

/// <summary>
/// Aliyun's RPC-style signature (SignatureVersion 1.0, HMAC-SHA1), as its documentation describes:
/// parameters sorted by name, each name and value percent-encoded (RFC 3986), joined with
/// <c>=</c> and <c>&amp;</c>; the string to sign is <c>METHOD&amp;%2F&amp;</c> + that query encoded
/// once more; the key is the access key secret followed by <c>&amp;</c>; the MAC is base64.
/// </summary>
public static class AliyunRpcSignature
{
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{Encode(p.Key)}={Encode(p.Value)}"));

    public static string StringToSign(string method, IEnumerable<KeyValuePair<string, string>> parameters) =>
        $"{method}&{Encode("/")}&{Encode(CanonicalQuery(parameters))}";

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "SignatureVersion 1.0 of Aliyun's RPC API is defined as HMAC-SHA1; the provider chooses, not we.")]
    public static string Sign(string method, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret)
    {
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret + "&"), Encoding.UTF8.GetBytes(StringToSign(method, parameters)));
        return Convert.ToBase64String(mac);
    }

    /// <summary>RFC 3986 percent-encoding of UTF-8: only A–Z, a–z, 0–9, '-', '_', '.', '~' stay as they are.</summary>
    public static string Encode(string value) => Uri.EscapeDataString(value);
}
