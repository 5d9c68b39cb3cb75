using Dispatch.Common;
using Dispatch.Places;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Accounts;

/// <summary>
/// A login. The password is hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>
/// and never leaves the grain; <see cref="AccountSecurity"/> keeps its lockout and refresh tokens.
/// Every answer that grants or withdraws access is given after the state that records it is stored.
/// </summary>
public sealed partial class AccountGrain(
    [PersistentState("account", StorageNames.Dispatch)] IPersistentState<AccountGrain.State> state,
    IPasswordHasher<AccountGrain.State> hasher,
    IOptions<AccountSecurityOptions> options,
    ILogger<AccountGrain> logger,
    TimeProvider time) : Grain, IAccountGrain
{
    /// <summary>A password hash to check guesses for unknown accounts against, made once per silo with the same hasher.</summary>
    private static string? dummyHash;

    /// <summary>The limits of an account that does not exist, in memory only.</summary>
    private readonly AccountSecurity unknown = new();

    /// <summary>
    /// Refresh tokens redeemed in the last seconds (by hash) and the pair each bought, so that a
    /// retry after a lost answer gets that pair again (<see cref="AccountSecurityOptions.RefreshRetryWindow"/>).
    /// Memory only: the new token is never stored in clear.
    /// </summary>
    private readonly Dictionary<string, (RefreshGrant Grant, DateTimeOffset Until)> recentRefreshes = new(StringComparer.Ordinal);

    private AccountSecurity Security => state.State.Security;

    public async Task<Outcome<AccountView>> Create(NewAccount account, string createdBy)
    {
        if (state.State.Account is not null)
        {
            return Failure.Conflict("alreadyExists", $"Account '{account.Username}' already exists.");
        }

        state.State.Account = new AccountView(
            account.Username, account.DisplayName.Trim(), account.Role, account.PlaceId,
            account.Skills.IsDefault ? [] : account.Skills, createdBy, time.GetUtcNow(), MustChangePassword: account.OneTimePassword);
        state.State.PasswordHash = hasher.HashPassword(state.State, account.Password);
        await state.WriteOrReloadAsync(this);
        return state.State.Account;
    }

    public Task<AccountView?> Get() => Task.FromResult(state.State.Account is { } account ? View(account) : null);

    public async Task<SignIn> Authenticate(string password, string? deviceToken)
    {
        var now = time.GetUtcNow();
        if (state.State is not { Account: { } account, PasswordHash: { } hash })
        {
            return AuthenticateUnknown(password, now);
        }

        var device = Security.FindTrustedDevice(deviceToken, now);
        if (Security.Admit(now, options.Value, device) is { } refused)
        {
            // The attempt count lives in memory between writes: a refusal costs no storage write.
            return SignIn.Refused(refused.Refusal, refused.RetryAt);
        }

        var verified = hasher.VerifyHashedPassword(state.State, hash, password);
        if (verified == PasswordVerificationResult.Failed)
        {
            if (device is not null)
            {
                Security.FailOnDevice(device, options.Value);
                await state.WriteOrReloadAsync(this);
                return SignIn.Refused(SignInRefusal.WrongCredentials);
            }

            await Fail(account, now);
            return SignIn.Refused(SignInRefusal.WrongCredentials);
        }

        // The right password for a disabled account says so: its holder should ask their staff.
        if (account.Disabled)
        {
            return SignIn.Refused(SignInRefusal.Disabled);
        }

        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            state.State.PasswordHash = hasher.HashPassword(state.State, password);
        }

        var trusted = Security.Succeed(account.Username, device, now, options.Value);
        var grant = Security.Issue(account.Username, now, options.Value);
        await state.WriteOrReloadAsync(this);
        return new SignIn(View(account), grant, null, Device: trusted);
    }

    /// <summary>
    /// An account that does not exist answers as one would: the same limits, counted in memory
    /// only (nothing is stored for a name nobody holds), and a password hashed for as long.
    /// </summary>
    private SignIn AuthenticateUnknown(string password, DateTimeOffset now)
    {
        if (unknown.Admit(now, options.Value) is { } refused)
        {
            return SignIn.Refused(refused.Refusal, refused.RetryAt);
        }

        dummyHash ??= hasher.HashPassword(new State(), "a password nobody holds");
        _ = hasher.VerifyHashedPassword(state.State, dummyHash, password);
        if (unknown.Fail(now, options.Value))
        {
            // Kept in memory for as long as the lockout lasts, as a stored account keeps it.
            DelayDeactivation(options.Value.LockoutDuration);
        }

        return SignIn.Refused(SignInRefusal.WrongCredentials);
    }

    /// <summary>A wrong password from a device not trusted: counted for the account, which it may lock.</summary>
    private async Task Fail(AccountView account, DateTimeOffset now)
    {
        var locked = Security.Fail(now, options.Value);
        await state.WriteOrReloadAsync(this);
        if (locked)
        {
            LogLockedOut(account.Username, Security.LockedUntil!.Value);
            await Report(account, SecurityEventKind.LockedOut, account.Username, $"after {options.Value.MaxFailedSignIns} wrong passwords in a row");
        }
    }

    public async Task<SignIn> Refresh(string refreshToken)
    {
        if (state.State.Account is not { } account)
        {
            return SignIn.Refused(SignInRefusal.WrongCredentials);
        }

        var now = time.GetUtcNow();
        var presented = AccountSecurity.Hash(refreshToken);
        if (recentRefreshes.TryGetValue(presented, out var retried) && retried.Until > now
            && Security.IsLive(retried.Grant.Token, now) && !account.Disabled)
        {
            // The same token again within seconds, and what it bought is still unused: the answer was lost, not stolen.
            return new SignIn(View(account), retried.Grant, null);
        }

        switch (Security.Redeem(refreshToken, now))
        {
            case AccountSecurity.Redemption.Unknown:
                return SignIn.Refused(SignInRefusal.WrongCredentials);
            case AccountSecurity.Redemption.Reused:
                await state.WriteOrReloadAsync(this);
                LogRefreshTokenReused(account.Username);
                return SignIn.Refused(SignInRefusal.WrongCredentials);
        }

        if (account.Disabled)
        {
            await state.WriteOrReloadAsync(this);
            return SignIn.Refused(SignInRefusal.Disabled);
        }

        var grant = Security.Issue(account.Username, now, options.Value);
        await state.WriteOrReloadAsync(this);
        foreach (var expired in recentRefreshes.Where(r => r.Value.Until <= now).Select(r => r.Key).ToList())
        {
            recentRefreshes.Remove(expired);
        }

        if (options.Value.RefreshRetryWindow > TimeSpan.Zero)
        {
            recentRefreshes[presented] = (grant, now + options.Value.RefreshRetryWindow);
        }

        return new SignIn(View(account), grant, null);
    }

    public async Task RevokeRefreshToken(string refreshToken)
    {
        if (Security.Revoke(refreshToken))
        {
            await state.WriteOrReloadAsync(this);
        }
    }

    public async Task<bool> RevokeEverywhere(string refreshToken)
    {
        if (!Security.IsLive(refreshToken, time.GetUtcNow()))
        {
            return false;
        }

        Security.RevokeAll();
        await state.WriteOrReloadAsync(this);
        return true;
    }

    public async Task<Outcome<AccountView>> Disable(string by, string? reason)
    {
        if (state.State.Account is not { } account)
        {
            return Failure.NotFound("Account", this.GetPrimaryKeyString());
        }

        if (account.Disabled)
        {
            // Disabling again finishes what a failure left (every step is idempotent).
            await Placement(p => p.Leave(account, by, "the account was disabled", disabled: true));
            return View(account);
        }

        state.State.Account = account with { Disabled = true };
        Security.RevokeAll();
        await state.WriteOrReloadAsync(this);
        await Report(account, SecurityEventKind.Disabled, by, reason);
        await Placement(p => p.Leave(account, by, "the account was disabled", disabled: true));
        return View(state.State.Account);
    }

    public async Task<Outcome<AccountView>> Enable(string by)
    {
        if (state.State.Account is not { } account)
        {
            return Failure.NotFound("Account", this.GetPrimaryKeyString());
        }

        var now = time.GetUtcNow();
        var wasLocked = Security.IsLocked(now);
        if (!account.Disabled && !Security.HoldsBack(now))
        {
            return View(account);
        }

        state.State.Account = account with { Disabled = false };
        Security.Unlock();
        await state.WriteOrReloadAsync(this);
        await Report(account, SecurityEventKind.Enabled, by, wasLocked ? "lockout lifted" : account.Disabled ? null : "sign-in counters reset");
        if (account.Disabled)
        {
            await Placement(p => p.Join(state.State.Account));
        }

        return View(state.State.Account);
    }

    public async Task<Outcome<AccountView>> ChangePassword(string? currentPassword, string newPassword, string by)
    {
        if (state.State is not { Account: { } account, PasswordHash: { } hash })
        {
            return Failure.NotFound("Account", this.GetPrimaryKeyString());
        }

        if (currentPassword is not null)
        {
            // A guess at the current password is a guess at the password: the sign-in limits hold.
            var now = time.GetUtcNow();
            if (Security.Admit(now, options.Value) is { } refused)
            {
                return refused.Refusal == SignInRefusal.LockedOut
                    ? Failure.TooMany("lockedOut", "Too many wrong passwords: this account is locked for a while. Its staff have been told and can unlock it.", refused.RetryAt)
                    : Failure.TooMany("tooManySignIns", "Too many password checks for this account: try again later.", refused.RetryAt);
            }

            if (hasher.VerifyHashedPassword(state.State, hash, currentPassword) == PasswordVerificationResult.Failed)
            {
                await Fail(account, now);
                return Failure.Invalid("currentPassword", "The current password is not correct.");
            }
        }

        if (PasswordPolicy.Check(newPassword, account.Username) is { } weak)
        {
            return Failure.Invalid("newPassword", weak);
        }

        if (account.MustChangePassword)
        {
            state.State.Account = account = account with { MustChangePassword = false };
        }

        state.State.PasswordHash = hasher.HashPassword(state.State, newPassword);
        Security.RevokeAll();
        Security.Unlock();
        await state.WriteOrReloadAsync(this);
        await Report(account, SecurityEventKind.PasswordChanged, by, null);
        return View(account);
    }

    public async Task<Outcome<AccountView>> SetOneTimePassword(string password, string by)
    {
        if (state.State.Account is not { } account)
        {
            return Failure.NotFound("Account", this.GetPrimaryKeyString());
        }

        state.State.Account = account = account with { MustChangePassword = true };
        state.State.PasswordHash = hasher.HashPassword(state.State, password);
        Security.RevokeAll();
        Security.Unlock();
        await state.WriteOrReloadAsync(this);
        await Report(account, SecurityEventKind.PasswordChanged, by, "one-time password, to be changed at the next sign-in");
        return View(account);
    }

    public async Task<Outcome<AccountView>> ChangeRole(AccountRole role, string placeId, string by)
    {
        if (state.State.Account is not { } account)
        {
            return Failure.NotFound("Account", this.GetPrimaryKeyString());
        }

        if (account.Role == role && account.PlaceId == placeId)
        {
            return View(account);
        }

        var moved = account with { Role = role, PlaceId = placeId };
        state.State.Account = moved;
        Security.RevokeAll();
        await state.WriteOrReloadAsync(this);
        var note = $"{account.Role} at {account.PlaceId} → {role} at {placeId}".ToLowerInvariant();
        await Report(account, SecurityEventKind.RoleChanged, by, note);
        if (placeId != account.PlaceId)
        {
            await Report(state.State.Account, SecurityEventKind.RoleChanged, by, note);
        }

        // A disabled account stays off every list wherever it is moved.
        await Placement(p => moved.Disabled ? p.MoveDisabled(account, moved, by) : p.Move(account, moved, by));
        return View(state.State.Account);
    }

    public async Task<Outcome<AccountView>> SetRepresentative(Suggestions.RepresentativeTitle? title, string by)
    {
        if (state.State.Account is not { } account)
        {
            return Failure.NotFound("Account", this.GetPrimaryKeyString());
        }

        if (account.Representative == title)
        {
            return View(account);
        }

        state.State.Account = account with { Representative = title };
        await state.WriteOrReloadAsync(this, _ => state.State.Account = account);
        return View(state.State.Account);
    }

    public async Task<Outcome<AccountView>> AssignDepartment(string departmentId, string by)
    {
        if (state.State.Account is not { } account)
        {
            return Failure.NotFound("Account", this.GetPrimaryKeyString());
        }

        if (account.Role == AccountRole.Department && account.DepartmentId == departmentId)
        {
            return View(account);
        }

        var moved = account with { Role = AccountRole.Department, DepartmentId = departmentId };
        state.State.Account = moved;
        Security.RevokeAll();
        await state.WriteOrReloadAsync(this);
        await Report(moved, SecurityEventKind.RoleChanged, by, $"{account.Role} → department {departmentId}".ToLowerInvariant());

        // It leaves the lists of its former role (a volunteer's community, candidates, claims).
        await Placement(p => moved.Disabled ? p.MoveDisabled(account, moved, by) : p.Move(account, moved, by));
        return View(moved);
    }

    /// <summary>
    /// Brings the lists the account is on (community, candidates, claims, offers, staff) in line with
    /// it, after its own write: best effort, logged; the same call again finishes it.
    /// </summary>
    private async Task Placement(Func<AccountPlacement, Task> step)
    {
        try
        {
            await step(new AccountPlacement(GrainFactory));
        }
        catch (Exception exception)
        {
            LogPlacementFailed(exception, this.GetPrimaryKeyString());
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Account {Username} changed, but its registrations (lists, claims, offers) could not all follow; the same change again finishes them")]
    private partial void LogPlacementFailed(Exception exception, string username);

    private AccountView View(AccountView account) =>
        Security.IsLocked(time.GetUtcNow()) ? account with { LockedUntil = Security.LockedUntil } : account;

    /// <summary>Tells the staff of the account's place; best effort after the account's own write.</summary>
    private async Task Report(AccountView account, SecurityEventKind kind, string by, string? note)
    {
        try
        {
            await GrainFactory.GetGrain<IPlaceGrain>(GrainKeys.Place(account.PlaceId))
                .RecordSecurityEvent(new SecurityEvent(kind, account.Username, by, time.GetUtcNow(), note));
        }
        catch (Exception exception)
        {
            LogReportFailed(exception, account.Username, kind);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Username} is locked until {LockedUntil} after repeated wrong passwords")]
    private partial void LogLockedOut(string username, DateTimeOffset lockedUntil);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A used refresh token of account {Username} was presented again: every refresh token of the account is revoked")]
    private partial void LogRefreshTokenReused(string username);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the staff of account {Username} about {Kind}")]
    private partial void LogReportFailed(Exception exception, string username, SecurityEventKind kind);

    [GenerateSerializer, Alias("Dispatch.AccountGrain.State")]
    public sealed class State
    {
        [Id(0)] public AccountView? Account { get; set; }
        [Id(1)] public string? PasswordHash { get; set; }
        [Id(2)] public AccountSecurity Security { get; set; } = new();
    }
}
