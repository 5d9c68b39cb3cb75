using Dispatch.Common;

namespace Dispatch.Accounts;

/// <summary>A login, keyed by <see cref="GrainKeys.Account"/> with the lower-cased username.</summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account, hashing its password; a conflict when the username is taken.</summary>
    Task<Outcome<AccountView>> Create(NewAccount account, string createdBy);

    Task<AccountView?> Get();

    /// <summary>
    /// Checks the password and, when it matches, issues a refresh token and a device token (stored
    /// before this answers). Counts wrong passwords: after too many in a row the account locks for
    /// a while and its place's staff are told, but a device that presents the token of an earlier
    /// successful sign-in (<paramref name="deviceToken"/>) is not locked out; its wrong passwords
    /// count for it alone. An unknown account answers as a known one would, after as long.
    /// </summary>
    Task<SignIn> Authenticate(string password, string? deviceToken);

    /// <summary>Trades a refresh token for a new one (each is good once); a reused token revokes them all.</summary>
    Task<SignIn> Refresh(string refreshToken);

    /// <summary>Signs out: the refresh token stops working. Unknown tokens are ignored.</summary>
    Task RevokeRefreshToken(string refreshToken);

    /// <summary>
    /// Signs out everywhere: every refresh token of the account stops working, when
    /// <paramref name="refreshToken"/> is one of them and live (the proof that the caller holds the
    /// account on some device); false, changing nothing, otherwise.
    /// </summary>
    Task<bool> RevokeEverywhere(string refreshToken);

    /// <summary>Disables the account and revokes its refresh tokens at once.</summary>
    Task<Outcome<AccountView>> Disable(string by, string? reason);

    /// <summary>Enables a disabled or locked-out account, and resets every counter of wrong passwords and sign-ins.</summary>
    Task<Outcome<AccountView>> Enable(string by);

    /// <summary>
    /// Sets a new password and revokes every refresh token. <paramref name="currentPassword"/> is
    /// required when the holder changes their own; an admin resetting it passes null. A wrong
    /// current password counts as a wrong password at sign-in, and is refused (429) while the
    /// account is locked or asked too often.
    /// </summary>
    Task<Outcome<AccountView>> ChangePassword(string? currentPassword, string newPassword, string by);

    /// <summary>
    /// For an operator when nobody can sign in (the silo program's <c>reset-password</c>): sets a
    /// one-time password that must be changed at the next sign-in, lifts every lockout and
    /// counter, and revokes every refresh token.
    /// </summary>
    Task<Outcome<AccountView>> SetOneTimePassword(string password, string by);

    /// <summary>Moves the account to another role and place and revokes every refresh token.</summary>
    Task<Outcome<AccountView>> ChangeRole(AccountRole role, string placeId, string by);

    /// <summary>Gives the account a representative title, or takes it away (null).</summary>
    Task<Outcome<AccountView>> SetRepresentative(Suggestions.RepresentativeTitle? title, string by);

    /// <summary>Makes the account staff of a department (role department, bound to it) and revokes every refresh token.</summary>
    Task<Outcome<AccountView>> AssignDepartment(string departmentId, string by);
}
