using Dispatch.Accounts;

namespace Dispatch.UnitTests.Accounts;

public sealed class AccountSecurityTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);
    private readonly AccountSecurityOptions options = new() { MaxFailedSignIns = 3, LockoutDuration = TimeSpan.FromMinutes(15), SignInsPerMinute = 4, MaxRefreshTokens = 3 };
    private readonly AccountSecurity security = new();

    [Fact]
    public void Sign_ins_beyond_the_limit_per_minute_are_refused_until_the_minute_is_over()
    {
        for (var i = 0; i < 4; i++)
        {
            Assert.Null(security.Admit(Start.AddSeconds(i), options));
        }

        var refused = security.Admit(Start.AddSeconds(30), options);
        Assert.Equal((SignInRefusal.TooManyAttempts, Start.AddMinutes(1)), refused);

        Assert.Null(security.Admit(Start.AddMinutes(1), options));
    }

    [Fact]
    public void Wrong_passwords_in_a_row_lock_the_account_for_the_lockout_and_then_it_admits_again()
    {
        Assert.False(security.Fail(Start, options));
        Assert.False(security.Fail(Start, options));
        Assert.True(security.Fail(Start, options));

        Assert.True(security.IsLocked(Start.AddMinutes(14)));
        Assert.Equal((SignInRefusal.LockedOut, Start.AddMinutes(15)), security.Admit(Start.AddMinutes(14), options));
        Assert.False(security.IsLocked(Start.AddMinutes(15)));
        Assert.Null(security.Admit(Start.AddMinutes(15), options));
    }

    [Fact]
    public void A_right_password_between_wrong_ones_starts_the_count_again()
    {
        security.Fail(Start, options);
        security.Fail(Start, options);
        security.Succeed();
        Assert.False(security.Fail(Start, options));
        Assert.False(security.Fail(Start, options));
        Assert.False(security.IsLocked(Start));
    }

    [Fact]
    public void Unlocking_lifts_a_lockout_at_once()
    {
        for (var i = 0; i < 3; i++)
        {
            security.Fail(Start, options);
        }

        security.Unlock();
        Assert.False(security.IsLocked(Start));
        Assert.Null(security.LockedUntil);
    }

    [Fact]
    public void A_refresh_token_is_good_once_and_names_its_account()
    {
        var grant = security.Issue("vol-m1-1", Start, options);
        Assert.Equal("vol-m1-1", RefreshTokenFormat.Username(grant.Token));
        Assert.Equal(Start + options.RefreshTokenLifetime, grant.ExpiresAt);
        Assert.DoesNotContain(security.RefreshTokens, t => t.Hash.Contains(grant.Token, StringComparison.Ordinal));

        Assert.Equal(AccountSecurity.Redemption.Valid, security.Redeem(grant.Token, Start.AddMinutes(1)));
        Assert.Empty(security.RefreshTokens);
    }

    [Fact]
    public void A_used_token_presented_again_revokes_every_token_of_the_account()
    {
        var stolen = security.Issue("vol-m1-1", Start, options);
        var otherDevice = security.Issue("vol-m1-1", Start, options);
        Assert.Equal(AccountSecurity.Redemption.Valid, security.Redeem(stolen.Token, Start));
        var rotated = security.Issue("vol-m1-1", Start, options);

        Assert.Equal(AccountSecurity.Redemption.Reused, security.Redeem(stolen.Token, Start.AddMinutes(1)));

        Assert.Equal(AccountSecurity.Redemption.Unknown, security.Redeem(rotated.Token, Start.AddMinutes(2)));
        Assert.Equal(AccountSecurity.Redemption.Unknown, security.Redeem(otherDevice.Token, Start.AddMinutes(2)));
    }

    [Fact]
    public void Expired_unknown_and_revoked_tokens_are_refused()
    {
        var expired = security.Issue("a1", Start, options);
        var revoked = security.Issue("a1", Start, options);
        Assert.True(security.Revoke(revoked.Token));
        Assert.False(security.Revoke(revoked.Token));

        Assert.Equal(AccountSecurity.Redemption.Unknown, security.Redeem(expired.Token, expired.ExpiresAt));
        Assert.Equal(AccountSecurity.Redemption.Unknown, security.Redeem(revoked.Token, Start));
        Assert.Equal(AccountSecurity.Redemption.Unknown, security.Redeem("a1:not-a-token", Start));
    }

    [Fact]
    public void Issuing_beyond_the_limit_drops_the_oldest_token()
    {
        var grants = Enumerable.Range(0, 4).Select(i => security.Issue("a1", Start.AddSeconds(i), options)).ToList();

        Assert.Equal(3, security.RefreshTokens.Length);
        Assert.Equal(AccountSecurity.Redemption.Unknown, security.Redeem(grants[0].Token, Start.AddMinutes(1)));
        Assert.All(grants.Skip(1), g => Assert.Equal(AccountSecurity.Redemption.Valid, security.Redeem(g.Token, Start.AddMinutes(1))));
    }

    [Fact]
    public void Revoking_all_forgets_live_and_used_tokens()
    {
        var used = security.Issue("a1", Start, options);
        security.Redeem(used.Token, Start);
        var live = security.Issue("a1", Start, options);

        security.RevokeAll();

        Assert.Equal(AccountSecurity.Redemption.Unknown, security.Redeem(live.Token, Start));
        Assert.Equal(AccountSecurity.Redemption.Unknown, security.Redeem(used.Token, Start));
    }

    [Theory]
    [InlineData("vol-m1-1:abc", "vol-m1-1")]
    [InlineData("a.b:c:d", "a.b:c")]
    [InlineData(":abc", null)]
    [InlineData("abc:", null)]
    [InlineData("abc", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_token_names_the_username_before_its_last_separator(string? token, string? username) =>
        Assert.Equal(username, RefreshTokenFormat.Username(token));

    [Fact]
    public void Overlong_tokens_name_no_account() =>
        Assert.Null(RefreshTokenFormat.Username("a:" + new string('x', 600)));

    [Fact]
    public void A_trusted_device_is_admitted_while_the_account_is_locked_and_stops_being_trusted_after_its_own_wrong_passwords()
    {
        var device = security.Succeed("wang", device: null, Start, options);
        for (var i = 0; i < 3; i++)
        {
            security.Fail(Start, options);
        }

        Assert.True(security.IsLocked(Start));
        var trusted = security.FindTrustedDevice(device.Token, Start);
        Assert.NotNull(trusted);
        Assert.Null(security.Admit(Start, options, trusted));
        Assert.NotNull(security.Admit(Start, options, device: null));
        Assert.Null(security.FindTrustedDevice("wang:not-a-device", Start));

        Assert.False(security.FailOnDevice(trusted, options));
        Assert.False(security.FailOnDevice(trusted, options));
        Assert.True(security.FailOnDevice(trusted, options));
        Assert.Null(security.FindTrustedDevice(device.Token, Start));
    }

    [Fact]
    public void A_sign_in_on_a_device_renews_its_token_and_the_oldest_devices_go_past_the_limit()
    {
        var limited = new AccountSecurityOptions { MaxTrustedDevices = 2 };
        var first = security.Succeed("wang", null, Start, limited);
        var renewed = security.Succeed("wang", security.FindTrustedDevice(first.Token, Start), Start, limited);
        Assert.Null(security.FindTrustedDevice(first.Token, Start));
        Assert.NotNull(security.FindTrustedDevice(renewed.Token, Start));

        var second = security.Succeed("wang", null, Start, limited);
        var third = security.Succeed("wang", null, Start, limited);
        Assert.Null(security.FindTrustedDevice(renewed.Token, Start));
        Assert.NotNull(security.FindTrustedDevice(second.Token, Start));
        Assert.NotNull(security.FindTrustedDevice(third.Token, Start));
        Assert.Null(security.FindTrustedDevice(third.Token, Start + limited.TrustedDeviceLifetime));
    }

    [Fact]
    public void Unlocking_resets_every_counter()
    {
        var device = security.Succeed("wang", null, Start, options);
        security.FailOnDevice(security.FindTrustedDevice(device.Token, Start)!, options);
        security.Fail(Start, options);
        for (var i = 0; i < 3; i++)
        {
            security.Admit(Start, options);
        }

        Assert.True(security.HoldsBack(Start));
        security.Unlock();
        Assert.False(security.HoldsBack(Start));
        for (var i = 0; i < 4; i++)
        {
            Assert.Null(security.Admit(Start, options));
        }
    }
}
