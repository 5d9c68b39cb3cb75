using Dispatch.Silo.Hosting;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Residents;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.UnitTests.Intake;

public sealed class FormTokenTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));

    private IntakeFormTokens Tokens(string key = "a-signing-key-of-at-least-32-bytes-long!") =>
        new(new SigningKeyProvider(Options.Create(new AuthOptions { SigningKey = key }), new DispatchStorageOptions { DataDir = "unused" }),
            Options.Create(new ResidentOptions { MinimumFillTime = TimeSpan.FromSeconds(5), FormLifetime = TimeSpan.FromDays(1) }),
            clock);

    [Fact]
    public void A_token_is_good_after_the_minimum_fill_time_and_until_its_lifetime()
    {
        var tokens = Tokens();
        var token = tokens.Issue("m1");
        Assert.Equal(FormTokenCheck.TooFast, tokens.Check(token, "m1"));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(FormTokenCheck.Good, tokens.Check(token, "m1"));
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(FormTokenCheck.Expired, tokens.Check(token, "m1"));
    }

    [Fact]
    public void A_token_of_another_community_key_or_altered_is_invalid()
    {
        var tokens = Tokens();
        var token = tokens.Issue("m1");
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(FormTokenCheck.Invalid, tokens.Check(token, "m2"));
        Assert.Equal(FormTokenCheck.Invalid, Tokens("another-signing-key-of-at-least-32-bytes").Check(token, "m1"));
        var altered = token[..5] + (token[5] == 'A' ? 'B' : 'A') + token[6..];
        Assert.Equal(FormTokenCheck.Invalid, tokens.Check(altered, "m1"));
        Assert.Equal(FormTokenCheck.Invalid, tokens.Check("not a token!", "m1"));
        Assert.Equal(FormTokenCheck.Invalid, tokens.Check(null, "m1"));
    }

    [Fact]
    public void Tracking_codes_carry_128_random_bits_in_22_url_safe_characters()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => TrackingCodes.New()).ToList();
        Assert.All(codes, code => Assert.True(TrackingCodes.IsWellFormed(code), code));
        Assert.Equal(1000, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.False(TrackingCodes.IsWellFormed("short"));
        Assert.False(TrackingCodes.IsWellFormed("abc/def+ghi=jklmnopqrs"));
    }
}
