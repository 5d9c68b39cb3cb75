using System.CommandLine;
using Dispatch.Silo.Backup;
using Dispatch.Silo.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dispatch.Silo.Commands;

/// <summary>
/// The silo program's command line: without a command it runs a silo; with one, it runs that
/// command and exits. <c>--help</c> lists them. Arguments a command does not know are
/// configuration, read as the silo reads it (<c>--Dispatch:DataDir=/var/lib/dispatch</c>,
/// environment variables, appsettings.json). Exit code 0 on success, 1 when the work could not be
/// done, 2 for bad arguments.
/// </summary>
/// <remarks>
/// A new command is a class of its own in this folder with a <c>static Command Create(SiloCommandContext context)</c>
/// (see <see cref="ResetPasswordCommand"/>), added with one line to <see cref="Commands"/>.
/// </remarks>
public static class SiloCommandLine
{
    /// <summary>Every command, in the order <c>--help</c> lists them.</summary>
    private static readonly Func<SiloCommandContext, Command>[] Commands =
    [
        MigrateCommand.Create,
        BackupCommands.Backup,
        BackupCommands.VerifyBackup,
        BackupCommands.Restore,
        ResetPasswordCommand.Create,
        RebuildQueryStoreCommand.Create,
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var context = new SiloCommandContext(output, error);
        var root = new RootCommand(
            "Dispatch silo. Without a command, runs a silo configured like the web host's (configuration as --Key=Value arguments, " +
            "environment variables or appsettings.json, e.g. --Dispatch:Storage:Provider=PostgreSQL).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        foreach (var create in Commands)
        {
            var command = create(context);
            command.TreatUnmatchedTokensAsErrors = false;
            root.Subcommands.Add(command);
        }

        root.SetAction(async (result, ct) =>
        {
            // A word that is neither a command nor configuration is a mistyped command, not a reason to start a silo.
            if (args is [var first, ..] && !first.StartsWith('-') && !first.Contains('='))
            {
                await error.WriteLineAsync($"Unknown command '{first}'. Commands: {string.Join(", ", root.Subcommands.Select(c => c.Name))} (--help).");
                return 2;
            }

            await RunSiloAsync(args, ct);
            return 0;
        });

        var parsed = root.Parse(args);
        var code = await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return parsed.Errors.Count > 0 ? 2 : code;
    }

    private static async Task RunSiloAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(args);
        QuietFrameworkLogs(builder);
        builder.AddDispatchSilo();
        await builder.Build().RunAsync(cancellationToken);
    }

    /// <summary>
    /// The silo runs from wherever it is started, usually without an appsettings.json: keep
    /// Orleans' and Polly's routine information out of its console, as the web host's settings do.
    /// More specific categories set in configuration (e.g. <c>Logging:LogLevel:Orleans.Runtime</c>) still apply.
    /// </summary>
    internal static void QuietFrameworkLogs(HostApplicationBuilder builder)
    {
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
    }
}
