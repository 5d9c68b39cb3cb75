using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Accounts;

/// <param name="OneTimePassword">The password is a one-time password (a sheet import's): the account must change it at its first sign-in.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.NewAccount")]
public sealed record NewAccount(
    string Username,
    [property: SecretData] string Password,
    string DisplayName,
    AccountRole Role,
    string PlaceId,
    ImmutableArray<string> Skills,
    bool OneTimePassword = false)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>An account as others may see it: never its password or hash.</summary>
/// <param name="Disabled">Disabled by staff or an admin: it cannot sign in or refresh a token.</param>
/// <param name="LockedUntil">Locked after repeated wrong passwords, until then (or until staff enable it); devices where it signed in before are not locked out.</param>
/// <param name="MustChangePassword">Its password is a one-time password (set by <c>reset-password</c> or a sheet import): its tokens allow nothing but changing it.</param>
/// <param name="Representative">The representative title an admin gave the account (两代表一委员): it may file suggestions.</param>
/// <param name="DepartmentId">For role department: the department (an organisation of kind department) whose queue it answers.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.AccountView")]
public sealed record AccountView(
    string Username,
    string DisplayName,
    AccountRole Role,
    string PlaceId,
    ImmutableArray<string> Skills,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    bool Disabled = false,
    DateTimeOffset? LockedUntil = null,
    bool MustChangePassword = false,
    Suggestions.RepresentativeTitle? Representative = null,
    string? DepartmentId = null);

/// <summary>Why a sign-in or a token refresh was refused.</summary>
public enum SignInRefusal
{
    /// <summary>Unknown account, wrong password, or an unknown, used or expired refresh token: the caller learns no more.</summary>
    WrongCredentials,

    /// <summary>The account is disabled.</summary>
    Disabled,

    /// <summary>Too many wrong passwords in a row: locked until <see cref="SignIn.RetryAt"/>.</summary>
    LockedOut,

    /// <summary>More sign-ins to this account in a minute than allowed: try again at <see cref="SignIn.RetryAt"/>.</summary>
    TooManyAttempts,
}

/// <summary>A refresh token as issued: shown once to its holder, stored only as a hash.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RefreshGrant")]
public sealed record RefreshGrant([property: SecretData] string Token, DateTimeOffset ExpiresAt)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>
/// A device where the account signed in (a cookie): it may still sign in while the account is
/// locked out. Shown once to its holder, stored only as a hash.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.DeviceGrant")]
public sealed record DeviceGrant([property: SecretData] string Token, DateTimeOffset ExpiresAt)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>The answer to a sign-in or a refresh: the account and a new refresh token (and, for a sign-in, the device's token), or why not.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.SignIn")]
public sealed record SignIn(AccountView? Account, RefreshGrant? Refresh, SignInRefusal? Refusal, DateTimeOffset? RetryAt = null, DeviceGrant? Device = null)
{
    public static SignIn Refused(SignInRefusal refusal, DateTimeOffset? retryAt = null) => new(null, null, refusal, retryAt);
}

/// <summary>What happened to an account's access: staff of its place read these.</summary>
public enum SecurityEventKind
{
    LockedOut,
    Disabled,
    Enabled,
    PasswordChanged,
    RoleChanged,
}

/// <param name="Username">The account concerned.</param>
/// <param name="By">Who did it; the account itself for a lockout or its own password change.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.SecurityEvent")]
public sealed record SecurityEvent(SecurityEventKind Kind, string Username, string By, DateTimeOffset At, string? Note);
