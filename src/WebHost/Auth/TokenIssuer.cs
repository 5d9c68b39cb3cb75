using System.Security.Claims;
using Dispatch.Accounts;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dispatch.WebHost.Auth;

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, string TokenType = "Bearer");

/// <summary>Issues the JWT bearer tokens that every other route requires.</summary>
public sealed class TokenIssuer(SigningKeyProvider keys, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new();

    public TokenResponse Issue(AccountView account)
    {
        var now = time.GetUtcNow();
        var expires = now + options.Value.TokenLifetime;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.Issuer,
            Audience = AuthOptions.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(DispatchClaims.Subject, account.Username),
                new Claim(DispatchClaims.RoleType, DispatchClaims.RoleName(account.Role)),
                new Claim(DispatchClaims.Place, account.PlaceId),
                new Claim(DispatchClaims.Name, account.DisplayName),
            ]),
        });
        return new TokenResponse(token, expires);
    }
}
