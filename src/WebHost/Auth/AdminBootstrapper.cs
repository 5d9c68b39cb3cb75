using System.Security.Cryptography;
using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Places;

namespace Dispatch.WebHost.Auth;

/// <summary>
/// On a start with no <c>admin</c> account, creates it with <c>Dispatch:Bootstrap:AdminPassword</c>,
/// or with a generated password printed once to the console. Runs after the silo has started.
/// </summary>
public sealed partial class AdminBootstrapper(
    IGrainFactory grains,
    IConfiguration configuration,
    ILogger<AdminBootstrapper> logger) : IHostedService
{
    public const string AdminUsername = "admin";
    public const string PasswordKey = "Dispatch:Bootstrap:AdminPassword";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var account = grains.GetGrain<IAccountGrain>(GrainKeys.Account(AdminUsername));
        if (await account.Get() is not null)
        {
            return;
        }

        var configured = configuration[PasswordKey];
        if (!string.IsNullOrEmpty(configured) && PasswordPolicy.Check(configured, AdminUsername) is { } weak)
        {
            throw new InvalidOperationException($"{PasswordKey}: {weak}");
        }

        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;

        // The admin needs a place for its scope; admins act everywhere, so no place is required to exist.
        var outcome = await account.Create(
            new NewAccount(AdminUsername, password, "Administrator", AccountRole.Admin, "*", []), createdBy: "bootstrap");
        if (!outcome.Succeeded)
        {
            return; // Another host created it first.
        }

        if (string.IsNullOrEmpty(configured))
        {
            // Shown once, on the console only: it is never logged or stored in clear.
            Console.WriteLine($"""

                ==== Dispatch: created the '{AdminUsername}' account. Its password (shown only this once): {password}
                ==== Set {PasswordKey} before the first start to choose it yourself.

                """);
        }

        LogAdminCreated(AdminUsername, string.IsNullOrEmpty(configured) ? "generated" : "configured");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the '{Username}' account with a {Source} password")]
    private partial void LogAdminCreated(string username, string source);
}
