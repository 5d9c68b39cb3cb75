using Dispatch.Common;

namespace Dispatch.Accounts;

/// <summary>A login, keyed by <see cref="GrainKeys.Account"/> with the lower-cased username.</summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account, hashing its password; a conflict when the username is taken.</summary>
    Task<Outcome<AccountView>> Create(NewAccount account, string createdBy);

    Task<AccountView?> Get();

    /// <summary>The account when the password matches, otherwise null (also for an unknown account).</summary>
    Task<AccountView?> Authenticate(string password);
}
