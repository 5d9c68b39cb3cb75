using System.CommandLine;
using Dispatch.Accounts;
using Dispatch.Common;

namespace Dispatch.Silo.Commands;

/// <summary>
/// <c>reset-password USERNAME</c>: for when nobody who could reset a password can sign in (every
/// admin locked out, or the password forgotten). Sets a new one-time password, prints it, lifts
/// every lockout and counter and revokes the account's refresh tokens; the account can do nothing
/// but change the password until it does.
/// </summary>
public static class ResetPasswordCommand
{
    public static Command Create(SiloCommandContext context)
    {
        var username = new Argument<string>("username") { Description = "The account whose password to reset." };
        var command = new Command(
            "reset-password",
            "Set a one-time password for an account (printed; it must be changed at the next sign-in), lift its lockout and revoke its sessions.")
        {
            username,
        };
        command.SetAction((result, ct) => context.Run(async () =>
        {
            var name = Identifiers.NormalizeUsername(result.GetValue(username)!);
            if (!Identifiers.IsValidUsername(name))
            {
                throw new CommandException($"'{name}' is not a username.");
            }

            await using var cluster = await ClusterAccess.ConnectAsync(result, ct);
            var password = NewPassword();
            var outcome = await cluster.Grains.GetGrain<IAccountGrain>(GrainKeys.Account(name))
                .SetOneTimePassword(password, "silo:reset-password");
            if (outcome.Failure is { } failure)
            {
                throw new CommandException(failure.Detail);
            }

            await context.Output.WriteLineAsync($"One-time password for {name} (through {cluster.Via}):");
            await context.Output.WriteLineAsync(password);
            await context.Output.WriteLineAsync(
                "Sign in with it and change it at once: until then the account can do nothing else. " +
                "Its lockout is lifted and its other sessions are signed out.");
        }));
        return command;
    }

    /// <summary>Four groups of five: about 99 bits.</summary>
    private static string NewPassword() => PasswordPolicy.NewOneTimePassword(4);
}
