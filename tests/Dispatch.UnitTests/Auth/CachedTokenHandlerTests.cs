using System.Security.Claims;
using Dispatch.WebHost.Auth;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dispatch.UnitTests.Auth;

public sealed class CachedTokenHandlerTests
{
    private static readonly SymmetricSecurityKey Key = new("a signing key of at least thirty-two bytes!"u8.ToArray());

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
    private readonly CountingHandler inner = new();
    private readonly CachedTokenHandler handler;
    private readonly TokenValidationParameters parameters;

    public CachedTokenHandlerTests()
    {
        handler = new CachedTokenHandler(inner, clock);
        parameters = new TokenValidationParameters
        {
            ValidIssuer = "dispatch",
            ValidAudience = "dispatch",
            IssuerSigningKey = Key,
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, _) => expires > clock.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(30),
        };
    }

    [Fact]
    public async Task A_valid_token_is_checked_once_and_each_use_gets_its_own_identity()
    {
        var token = Issue("m1-v1", TimeSpan.FromMinutes(15));

        var first = await handler.ValidateTokenAsync(token, parameters);
        var second = await handler.ValidateTokenAsync(token, parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, inner.Calls);
        Assert.Equal("m1-v1", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
    }

    [Fact]
    public async Task An_expired_token_is_refused_even_when_it_was_remembered()
    {
        var token = Issue("m1-v1", TimeSpan.FromMinutes(2));
        Assert.True((await handler.ValidateTokenAsync(token, parameters)).IsValid);

        clock.Advance(TimeSpan.FromMinutes(3));

        Assert.False((await handler.ValidateTokenAsync(token, parameters)).IsValid);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task A_token_is_checked_again_after_the_longest_it_is_remembered()
    {
        var token = Issue("m1-v1", TimeSpan.FromHours(1));
        await handler.ValidateTokenAsync(token, parameters);

        clock.Advance(CachedTokenHandler.MaxRemembered);
        Assert.True((await handler.ValidateTokenAsync(token, parameters)).IsValid);

        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task A_refused_token_is_never_remembered()
    {
        var forged = Issue("m1-v1", TimeSpan.FromMinutes(15), new SymmetricSecurityKey("another key, also thirty-two bytes or more"u8.ToArray()));

        Assert.False((await handler.ValidateTokenAsync(forged, parameters)).IsValid);
        Assert.False((await handler.ValidateTokenAsync(forged, parameters)).IsValid);

        Assert.Equal(2, inner.Calls);
        Assert.Equal(0, handler.Count);
    }

    private string Issue(string subject, TimeSpan lifetime, SecurityKey? key = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "dispatch",
        Audience = "dispatch",
        Subject = new ClaimsIdentity([new Claim("sub", subject)]),
        IssuedAt = clock.GetUtcNow().UtcDateTime,
        NotBefore = clock.GetUtcNow().UtcDateTime,
        Expires = clock.GetUtcNow().UtcDateTime + lifetime,
        SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
    });

    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler real = new() { MapInboundClaims = false };

        public int Calls { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            return real.ValidateTokenAsync(token, validationParameters);
        }
    }
}
