namespace Dispatch.Accounts;

/// <summary>The account side of configuration section <c>Dispatch:Auth</c>: sign-in limits and refresh tokens.</summary>
public sealed class AccountSecurityOptions
{
    public const string Section = "Dispatch:Auth";

    /// <summary>Wrong passwords in a row that lock an account.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked (staff can enable it sooner).</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in attempts to one account per minute, right or wrong, before 429.</summary>
    public int SignInsPerMinute { get; set; } = 10;

    /// <summary>How long a refresh token is good for (each is good once: a refresh returns a new one).</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Refresh tokens an account holds at once (one per device); the oldest goes first.</summary>
    public int MaxRefreshTokens { get; set; } = 10;

    /// <summary>How long a device where the account signed in stays trusted (each sign-in there renews it).</summary>
    public TimeSpan TrustedDeviceLifetime { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Devices an account trusts at once; the one unused longest goes first.</summary>
    public int MaxTrustedDevices { get; set; } = 10;

    /// <summary>
    /// How long a used refresh token, presented again, still gets the pair it bought (a client
    /// whose answer was lost retries) instead of revoking every token of the account.
    /// </summary>
    public TimeSpan RefreshRetryWindow { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsValid() =>
        MaxFailedSignIns is >= 1 and <= 100
        && LockoutDuration >= TimeSpan.FromSeconds(1) && LockoutDuration <= TimeSpan.FromDays(30)
        && SignInsPerMinute is >= 1 and <= 10_000
        && RefreshTokenLifetime >= TimeSpan.FromMinutes(1) && RefreshTokenLifetime <= TimeSpan.FromDays(365)
        && MaxRefreshTokens is >= 1 and <= 100
        && TrustedDeviceLifetime >= TimeSpan.FromMinutes(1) && TrustedDeviceLifetime <= TimeSpan.FromDays(3650)
        && MaxTrustedDevices is >= 1 and <= 100
        && RefreshRetryWindow >= TimeSpan.Zero && RefreshRetryWindow <= TimeSpan.FromMinutes(1);
}
