using Dispatch.Common;
using Microsoft.AspNetCore.Identity;

namespace Dispatch.Accounts;

/// <summary>A login. The password is hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> and never leaves the grain.</summary>
public sealed class AccountGrain(
    [PersistentState("account", StorageNames.Dispatch)] IPersistentState<AccountGrain.State> state,
    IPasswordHasher<AccountGrain.State> hasher,
    TimeProvider time) : Grain, IAccountGrain
{
    public async Task<Outcome<AccountView>> Create(NewAccount account, string createdBy)
    {
        if (state.State.Account is not null)
        {
            return Failure.Conflict("alreadyExists", $"Account '{account.Username}' already exists.");
        }

        state.State.Account = new AccountView(
            account.Username, account.DisplayName.Trim(), account.Role, account.PlaceId,
            account.Skills.IsDefault ? [] : account.Skills, createdBy, time.GetUtcNow());
        state.State.PasswordHash = hasher.HashPassword(state.State, account.Password);
        await state.WriteStateAsync();
        return state.State.Account;
    }

    public Task<AccountView?> Get() => Task.FromResult(state.State.Account);

    public async Task<AccountView?> Authenticate(string password)
    {
        if (state.State is not { Account: { } account, PasswordHash: { } hash })
        {
            return null;
        }

        switch (hasher.VerifyHashedPassword(state.State, hash, password))
        {
            case PasswordVerificationResult.Success:
                return account;
            case PasswordVerificationResult.SuccessRehashNeeded:
                state.State.PasswordHash = hasher.HashPassword(state.State, password);
                await state.WriteStateAsync();
                return account;
            default:
                return null;
        }
    }

    [GenerateSerializer, Alias("Dispatch.AccountGrain.State")]
    public sealed class State
    {
        [Id(0)] public AccountView? Account { get; set; }
        [Id(1)] public string? PasswordHash { get; set; }
    }
}
