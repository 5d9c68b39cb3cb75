using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Dispatch.WebHost.Auth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Dispatch.WebHost.Residents;

/// <summary>What a form token says about the filing that carries it.</summary>
public enum FormTokenCheck
{
    Good,

    /// <summary>Not a token this service issued for this community (or altered).</summary>
    Invalid,

    /// <summary>Sent sooner after the form opened than a person can fill it in.</summary>
    TooFast,

    /// <summary>Older than <see cref="ResidentOptions.FormLifetime"/>: the page must be reloaded.</summary>
    Expired,
}

/// <summary>
/// The signed token a filing form is given when it opens: when it was issued, for which community,
/// signed with an HMAC key derived from the token signing key (so every web host of a cluster
/// checks every other's). Times are read from <see cref="TimeProvider"/>, so tests move them.
/// </summary>
public sealed class IntakeFormTokens(SigningKeyProvider keys, IOptions<ResidentOptions> options, TimeProvider time)
{
    private const byte Version = 1;
    private const int NonceBytes = 16;
    private const int MacBytes = 32;
    private const int PayloadBytes = 1 + sizeof(long) + NonceBytes;

    private readonly Lazy<byte[]> key = new(() =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.Key.Key, 32, info: Encoding.UTF8.GetBytes("dispatch/intake-form/v1")));

    public string Issue(string communityId)
    {
        var token = new byte[PayloadBytes + MacBytes];
        token[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(1), time.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(token.AsSpan(1 + sizeof(long), NonceBytes));
        Sign(communityId, token.AsSpan(0, PayloadBytes), token.AsSpan(PayloadBytes));
        return WebEncoders.Base64UrlEncode(token);
    }

    public FormTokenCheck Check(string? formToken, string communityId)
    {
        byte[] token;
        try
        {
            token = WebEncoders.Base64UrlDecode(formToken ?? "");
        }
        catch (FormatException)
        {
            return FormTokenCheck.Invalid;
        }

        if (token.Length != PayloadBytes + MacBytes || token[0] != Version)
        {
            return FormTokenCheck.Invalid;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        Sign(communityId, token.AsSpan(0, PayloadBytes), expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, token.AsSpan(PayloadBytes)))
        {
            return FormTokenCheck.Invalid;
        }

        var issued = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(token.AsSpan(1)));
        var open = time.GetUtcNow() - issued;
        return open < options.Value.MinimumFillTime ? FormTokenCheck.TooFast
            : open > options.Value.FormLifetime ? FormTokenCheck.Expired
            : FormTokenCheck.Good;
    }

    private void Sign(string communityId, ReadOnlySpan<byte> payload, Span<byte> mac)
    {
        var community = Encoding.UTF8.GetBytes(communityId);
        var signed = new byte[community.Length + 1 + payload.Length];
        community.CopyTo(signed, 0);
        payload.CopyTo(signed.AsSpan(community.Length + 1));
        HMACSHA256.HashData(key.Value, signed, mac);
    }
}
