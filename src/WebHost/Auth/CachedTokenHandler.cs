using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dispatch.WebHost.Auth;

/// <summary>
/// Remembers access tokens it has validated, so that a volunteer's next call with the same token
/// skips parsing and checking the signature again: in a claim storm that work was a large part of
/// each attempt. A remembered token is still judged against the host's clock on every use (its
/// lifetime with the usual skew) and forgotten after <see cref="MaxRemembered"/> at the latest, so
/// a signing key retired from configuration (a restart) is honoured nowhere longer than that. Tokens that fail are never
/// remembered. Bounded: at <see cref="Capacity"/> tokens it forgets everything and starts over.
/// </summary>
public sealed class CachedTokenHandler(TokenHandler inner, TimeProvider time) : TokenHandler
{
    public const int Capacity = 20_000;
    public static readonly TimeSpan MaxRemembered = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Remembered> remembered = new(StringComparer.Ordinal);

    /// <summary>Tokens remembered now.</summary>
    public int Count => remembered.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (remembered.TryGetValue(token, out var known))
        {
            if (now < known.Until)
            {
                return known.Fresh();
            }

            remembered.TryRemove(token, out _);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } validated)
        {
            if (remembered.Count >= Capacity)
            {
                remembered.Clear();
            }

            var expires = validated.ValidTo + validationParameters.ClockSkew;
            var until = now + MaxRemembered < expires ? now + MaxRemembered : expires;
            remembered[token] = new Remembered(result, until);
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    public override int MaximumTokenSizeInBytes
    {
        get => inner.MaximumTokenSizeInBytes;
        set => inner.MaximumTokenSizeInBytes = value;
    }

    /// <summary>The default handler of ASP.NET Core's JWT bearer scheme, remembered.</summary>
    public static CachedTokenHandler ForJwt(TimeProvider time) =>
        new(new JsonWebTokenHandler { MapInboundClaims = false }, time);

    private sealed record Remembered(TokenValidationResult Result, DateTime Until)
    {
        // Each request gets its own identity: nothing one request does to it reaches another.
        public TokenValidationResult Fresh() => new()
        {
            IsValid = true,
            ClaimsIdentity = Result.ClaimsIdentity.Clone(),
            SecurityToken = Result.SecurityToken,
            Issuer = Result.Issuer,
            TokenType = Result.TokenType,
            TokenContext = Result.TokenContext,
        };
    }
}
