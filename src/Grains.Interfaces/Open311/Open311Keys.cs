using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Dispatch.Open311;

/// <summary>
/// Open311 API keys: <c>{id}.{secret}</c>, where the id (32 hex digits) names the key's grain and
/// the secret is 32 bytes from the CSPRNG. Only the key's SHA-256 is stored: with 256 bits of
/// entropy a plain hash cannot be reversed or guessed, so no slow password hash is needed.
/// </summary>
public static class Open311Keys
{
    public const int MaxKeyLength = 200;
    public const int MaxName = 100;
    private const int SecretBytes = 32;

    /// <summary>A new key and its id; the key is shown once and never stored.</summary>
    public static (Guid Id, string Key) Issue()
    {
        var id = Guid.NewGuid();
        return (id, $"{id:N}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes))}");
    }

    /// <summary>Who a request filed with the key is created by, in its history.</summary>
    public static string Creator(Guid keyId) => $"open311:{keyId:N}";

    /// <summary>The SHA-256 of a key, in lower-case hex: what the key's grain keeps.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The id a key names, or false when it is not shaped like one of ours.</summary>
    public static bool TryParseId(string? key, out Guid id)
    {
        id = Guid.Empty;
        return key is { Length: > 33 and <= MaxKeyLength }
            && key[32] == '.'
            && Guid.TryParseExact(key.AsSpan(0, 32), "N", out id);
    }

    /// <summary>Compares two hashes in constant time, so the answer leaks nothing through its timing.</summary>
    public static bool HashesEqual(string stored, string presented) =>
        stored.Length > 0
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(presented));
}
