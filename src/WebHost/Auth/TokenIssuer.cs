using System.Security.Claims;
using Dispatch.Accounts;
using Dispatch.Common;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dispatch.WebHost.Auth;

/// <param name="RefreshToken">Good once, at <c>POST /api/auth/refresh</c>, for a new pair; until <paramref name="RefreshExpiresAt"/>.</param>
public sealed record TokenResponse(
    [property: SecretData] string AccessToken,
    DateTimeOffset ExpiresAt,
    [property: SecretData] string? RefreshToken = null,
    DateTimeOffset? RefreshExpiresAt = null,
    string TokenType = "Bearer")
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>Issues the JWT bearer tokens that every other route requires.</summary>
public sealed class TokenIssuer(SigningKeyProvider keys, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new();

    /// <summary>An access token for the account, with the refresh token the account grain issued beside it.</summary>
    public TokenResponse Issue(AccountView account, RefreshGrant refresh) =>
        Issue(account) with { RefreshToken = refresh.Token, RefreshExpiresAt = refresh.ExpiresAt };

    public TokenResponse Issue(AccountView account)
    {
        var now = time.GetUtcNow();
        var expires = now + options.Value.TokenLifetime;
        var subject = new ClaimsIdentity(
        [
            new Claim(DispatchClaims.Subject, account.Username),
            new Claim(DispatchClaims.RoleType, DispatchClaims.RoleName(account.Role)),
            new Claim(DispatchClaims.Place, account.PlaceId),
            new Claim(DispatchClaims.Name, account.DisplayName),
        ]);
        if (account.MustChangePassword)
        {
            subject.AddClaim(new Claim(DispatchClaims.PasswordChange, "true"));
        }

        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.Issuer,
            Audience = AuthOptions.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
            Subject = subject,
        });
        return new TokenResponse(token, expires);
    }
}
