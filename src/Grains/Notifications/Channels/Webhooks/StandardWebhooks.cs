using System.Security.Cryptography;
using System.Text;

namespace Dispatch.Notifications.Channels.Webhooks;

/// <summary>
/// The signing rules of Standard Webhooks 1.0: a secret is <c>whsec_</c> followed by base64 of its
/// key bytes; a signature is <c>v1,</c> and base64 of HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c>;
/// the <c>webhook-signature</c> header carries one signature per current secret, space-separated,
/// so that a receiver holding either secret accepts the message while a secret is rotated.
/// </summary>
public static class StandardWebhooks
{
    public const string SecretPrefix = ChannelRules.SecretPrefix;
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The key bytes of a <c>whsec_</c> secret (24 to 64 bytes, as the spec asks), or null when it is not one.</summary>
    public static byte[]? KeyOf(string secret) => ChannelRules.WebhookKeyOf(secret);

    public static bool IsSecret(string secret) => KeyOf(secret) is not null;

    /// <summary>A new secret of 32 random bytes, as the spec spells it.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>One <c>v1,</c> signature per secret, space-separated, in the order given.</summary>
    public static string Sign(string id, long timestamp, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));

        var signatures = new List<string>();
        foreach (var secret in secrets)
        {
            var key = KeyOf(secret) ?? throw new ArgumentException("A webhook secret must be 'whsec_' and base64 of 24 to 64 bytes.", nameof(secrets));
            signatures.Add("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content)));
        }

        return string.Join(' ', signatures);
    }
}
