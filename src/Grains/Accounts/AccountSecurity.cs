using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Dispatch.Accounts;

/// <summary>
/// The rules that guard an account's access, as plain state a grain holds: sign-in attempts per
/// minute, wrong passwords in a row and the lockout they cause, and the refresh tokens it has
/// issued. Refresh tokens are stored as SHA-256 hashes only; each is good once, and presenting
/// one that was already used (a copy in a thief's hands, or the holder's after a theft) revokes
/// every token of the account.
/// <para>
/// Devices where the account signed in successfully hold a device token (a cookie): a sign-in
/// from such a device is not refused by the account's lockout or its limit per minute, so that
/// whoever guesses passwords elsewhere cannot lock the holder out. Wrong passwords from a trusted
/// device are counted per device; too many in a row and the device is trusted no more.
/// </para>
/// </summary>
[GenerateSerializer, Alias("Dispatch.AccountSecurity")]
public sealed class AccountSecurity
{
    /// <summary>Used tokens are remembered for reuse detection, this many at most.</summary>
    public const int UsedTokensKept = 50;

    [Id(0)] public int FailedSignIns { get; private set; }
    [Id(1)] public DateTimeOffset? LockedUntil { get; private set; }
    [Id(2)] public DateTimeOffset AttemptWindowStart { get; private set; }
    [Id(3)] public int AttemptsInWindow { get; private set; }
    [Id(4)] public ImmutableArray<IssuedToken> RefreshTokens { get; private set; } = [];
    [Id(5)] public ImmutableArray<IssuedToken> UsedTokens { get; private set; } = [];
    [Id(6)] public ImmutableArray<TrustedDevice> Devices { get; private set; } = [];

    /// <summary>Whether a counter or a lockout holds anything back that an unlock would reset.</summary>
    public bool HoldsBack(DateTimeOffset now) =>
        FailedSignIns > 0 || IsLocked(now) || AttemptsInWindow > 0 || Devices.Any(d => d.FailedSignIns > 0);

    /// <summary>The hash of a device token of this account that is trusted until later than now, or null.</summary>
    public string? FindTrustedDevice(string? token, DateTimeOffset now)
    {
        if (token is not { Length: > 0 and <= 512 })
        {
            return null;
        }

        var hash = Hash(token);
        return Devices.Any(d => FixedEquals(d.Hash, hash) && d.ExpiresAt > now) ? hash : null;
    }

    /// <summary>
    /// Counts a sign-in attempt: from a trusted device (<paramref name="device"/>, its hash) it is
    /// always admitted; otherwise it is refused while the account is locked or asked too often.
    /// </summary>
    public (SignInRefusal Refusal, DateTimeOffset RetryAt)? Admit(DateTimeOffset now, AccountSecurityOptions options, string? device) =>
        device is null ? Admit(now, options) : null;

    /// <summary>A wrong password from a trusted device: it counts for that device only; true when the device is trusted no more.</summary>
    public bool FailOnDevice(string device, AccountSecurityOptions options)
    {
        var index = -1;
        for (var i = 0; i < Devices.Length && index < 0; i++)
        {
            index = Devices[i].Hash == device ? i : -1;
        }

        if (index < 0)
        {
            return false;
        }

        var failed = Devices[index] with { FailedSignIns = Devices[index].FailedSignIns + 1 };
        if (failed.FailedSignIns >= options.MaxFailedSignIns)
        {
            Devices = Devices.RemoveAt(index);
            return true;
        }

        Devices = Devices.SetItem(index, failed);
        return false;
    }

    /// <summary>
    /// A right password: the count of wrong ones starts again where it was counted (the device's,
    /// or the account's), and the device is trusted from now on under a new token, which replaces
    /// the one it presented. The oldest device goes when the account trusts too many.
    /// </summary>
    public DeviceGrant Succeed(string username, string? device, DateTimeOffset now, AccountSecurityOptions options)
    {
        if (device is null)
        {
            Succeed();
        }

        var token = RefreshTokenFormat.Compose(username, Base64Url(RandomNumberGenerator.GetBytes(32)));
        var expires = now + options.TrustedDeviceLifetime;
        var kept = Devices.Where(d => d.ExpiresAt > now && d.Hash != device).ToImmutableArray();
        if (kept.Length >= options.MaxTrustedDevices)
        {
            kept = kept.RemoveRange(0, kept.Length - options.MaxTrustedDevices + 1);
        }

        Devices = kept.Add(new TrustedDevice(Hash(token), expires, 0));
        return new DeviceGrant(token, expires);
    }

    /// <summary>Counts a sign-in attempt; refuses it when the account is locked or asked too often.</summary>
    public (SignInRefusal Refusal, DateTimeOffset RetryAt)? Admit(DateTimeOffset now, AccountSecurityOptions options)
    {
        if (IsLocked(now))
        {
            return (SignInRefusal.LockedOut, LockedUntil!.Value);
        }

        if (now - AttemptWindowStart >= TimeSpan.FromMinutes(1) || now < AttemptWindowStart)
        {
            AttemptWindowStart = now;
            AttemptsInWindow = 0;
        }

        if (AttemptsInWindow >= options.SignInsPerMinute)
        {
            return (SignInRefusal.TooManyAttempts, AttemptWindowStart + TimeSpan.FromMinutes(1));
        }

        AttemptsInWindow++;
        return null;
    }

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>A wrong password; true when it locks the account.</summary>
    public bool Fail(DateTimeOffset now, AccountSecurityOptions options)
    {
        FailedSignIns++;
        if (FailedSignIns < options.MaxFailedSignIns)
        {
            return false;
        }

        FailedSignIns = 0;
        LockedUntil = now + options.LockoutDuration;
        return true;
    }

    public void Succeed() => FailedSignIns = 0;

    /// <summary>Lifts a lockout and resets every counter: wrong passwords (the account's and each device's) and sign-ins this minute.</summary>
    public void Unlock()
    {
        FailedSignIns = 0;
        LockedUntil = null;
        AttemptsInWindow = 0;
        AttemptWindowStart = default;
        Devices = [.. Devices.Select(d => d with { FailedSignIns = 0 })];
    }

    /// <summary>A new refresh token; the account's oldest goes when it holds too many.</summary>
    public RefreshGrant Issue(string username, DateTimeOffset now, AccountSecurityOptions options)
    {
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = RefreshTokenFormat.Compose(username, secret);
        var expires = now + options.RefreshTokenLifetime;
        var live = RefreshTokens.Where(t => t.ExpiresAt > now).ToImmutableArray();
        if (live.Length >= options.MaxRefreshTokens)
        {
            live = live.RemoveRange(0, live.Length - options.MaxRefreshTokens + 1);
        }

        RefreshTokens = live.Add(new IssuedToken(Hash(token), expires));
        UsedTokens = UsedTokens.RemoveAll(t => t.ExpiresAt <= now);
        return new RefreshGrant(token, expires);
    }

    /// <summary>
    /// Takes a refresh token for a new one: <see cref="Redemption.Valid"/> when it was live (it is
    /// now used), <see cref="Redemption.Reused"/> when it had been used already (every token is
    /// now revoked), otherwise <see cref="Redemption.Unknown"/>.
    /// </summary>
    public Redemption Redeem(string token, DateTimeOffset now)
    {
        var hash = Hash(token);
        var index = -1;
        for (var i = 0; i < RefreshTokens.Length && index < 0; i++)
        {
            index = FixedEquals(RefreshTokens[i].Hash, hash) ? i : -1;
        }

        if (index >= 0)
        {
            var issued = RefreshTokens[index];
            RefreshTokens = RefreshTokens.RemoveAt(index);
            if (issued.ExpiresAt <= now)
            {
                return Redemption.Unknown;
            }

            UsedTokens = UsedTokens.Add(issued);
            if (UsedTokens.Length > UsedTokensKept)
            {
                UsedTokens = UsedTokens.RemoveRange(0, UsedTokens.Length - UsedTokensKept);
            }

            return Redemption.Valid;
        }

        if (UsedTokens.Any(t => FixedEquals(t.Hash, hash) && t.ExpiresAt > now))
        {
            RevokeAll();
            return Redemption.Reused;
        }

        return Redemption.Unknown;
    }

    /// <summary>Forgets one refresh token (signing out); false when it was not live.</summary>
    public bool Revoke(string token)
    {
        var hash = Hash(token);
        var before = RefreshTokens.Length;
        RefreshTokens = RefreshTokens.RemoveAll(t => FixedEquals(t.Hash, hash));
        return RefreshTokens.Length != before;
    }

    /// <summary>Every refresh token stops working at once.</summary>
    public void RevokeAll()
    {
        RefreshTokens = [];
        UsedTokens = [];
    }

    /// <summary>Whether a refresh token is issued, not yet used and not expired.</summary>
    public bool IsLive(string token, DateTimeOffset now)
    {
        var hash = Hash(token);
        return RefreshTokens.Any(t => FixedEquals(t.Hash, hash) && t.ExpiresAt > now);
    }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public enum Redemption
    {
        Unknown,
        Valid,
        Reused,
    }

    /// <summary>A device where the account signed in: the hash of its token, until when, and its wrong passwords in a row.</summary>
    [GenerateSerializer, Immutable, Alias("Dispatch.AccountSecurity.TrustedDevice")]
    public sealed record TrustedDevice([property: Id(0)] string Hash, [property: Id(1)] DateTimeOffset ExpiresAt, [property: Id(2)] int FailedSignIns);

    [GenerateSerializer, Immutable, Alias("Dispatch.AccountSecurity.IssuedToken")]
    public sealed record IssuedToken([property: Id(0)] string Hash, [property: Id(1)] DateTimeOffset ExpiresAt);
}
