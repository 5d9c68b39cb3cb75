using Dispatch.Common;

namespace Dispatch.Accounts;

/// <summary>A login, keyed by <see cref="GrainKeys.Account"/> with the lower-cased username.</summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account, hashing its password; a conflict when the username is taken.</summary>
    Task<Outcome<AccountView>> Create(NewAccount account, string createdBy);

    Task<AccountView?> Get();

    /// <summary>
    /// Checks the password and, when it matches, issues a refresh token (stored before this
    /// answers). Counts wrong passwords: after too many in a row the account locks for a while
    /// and its place's staff are told.
    /// </summary>
    Task<SignIn> Authenticate(string password);

    /// <summary>Trades a refresh token for a new one (each is good once); a reused token revokes them all.</summary>
    Task<SignIn> Refresh(string refreshToken);

    /// <summary>Signs out: the refresh token stops working. Unknown tokens are ignored.</summary>
    Task RevokeRefreshToken(string refreshToken);

    /// <summary>Disables the account and revokes its refresh tokens at once.</summary>
    Task<Outcome<AccountView>> Disable(string by, string? reason);

    /// <summary>Enables a disabled or locked-out account.</summary>
    Task<Outcome<AccountView>> Enable(string by);

    /// <summary>
    /// Sets a new password and revokes every refresh token. <paramref name="currentPassword"/> is
    /// required when the holder changes their own; an admin resetting it passes null.
    /// </summary>
    Task<Outcome<AccountView>> ChangePassword(string? currentPassword, string newPassword, string by);

    /// <summary>Moves the account to another role and place and revokes every refresh token.</summary>
    Task<Outcome<AccountView>> ChangeRole(AccountRole role, string placeId, string by);
}
