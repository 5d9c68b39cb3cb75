using System.CommandLine;
using Dispatch.Silo.Hosting;
using Microsoft.Extensions.Hosting;

namespace Dispatch.Silo.Backup;

/// <summary>
/// The operator's commands <c>backup</c>, <c>verify-backup</c> and <c>restore</c> of the embedded
/// store. Arguments they do not know are configuration, read as the silo reads it
/// (<c>--Dispatch:DataDir=/var/lib/dispatch</c>, environment variables, appsettings.json).
/// Exit code 0 on success, 1 when the work could not be done (nothing changed), 2 for bad arguments.
/// </summary>
public static class BackupCommands
{
    public static readonly string[] Names = ["backup", "verify-backup", "restore"];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var to = new Option<string>("--to") { Description = "The backup folder to create (it must not exist yet).", Required = true };
        var withKey = new Option<bool>("--include-signing-key")
        {
            Description = "Also copy the generated token signing key (data folder's signing-key): whoever holds the backup can then sign tokens.",
        };
        var from = new Option<string>("--from") { Description = "A backup folder written by the backup command.", Required = true };

        var backup = new Command("backup", "Back up the embedded SQLite store while Dispatch runs.") { to, withKey };
        backup.SetAction((result, ct) => Run(error, async () =>
        {
            await SqliteBackup.CreateAsync(Storage(result), result.GetValue(to)!, result.GetValue(withKey), output, TimeProvider.System, ct);
        }));

        var verify = new Command("verify-backup", "Check a backup (checksums, SQLite integrity, schema) without restoring it.") { from };
        verify.SetAction((result, ct) => Run(error, async () =>
        {
            var manifest = await SqliteBackup.VerifyAsync(result.GetValue(from)!, ct);
            await output.WriteLineAsync(
                $"{Path.GetFullPath(result.GetValue(from)!)} is a whole backup of {manifest.Source}, taken {manifest.CreatedAt:u}: " +
                $"{manifest.GrainStates} grain states, {manifest.Reminders} reminders, schema {string.Join(" ", manifest.Schema)}, " +
                (manifest.HasSigningKey ? "with" : "without") + " the signing key.");
        }));

        var restore = new Command("restore", "Replace the data folder's store with a backup; Dispatch must be stopped.") { from };
        restore.SetAction((result, ct) => Run(error, async () =>
        {
            await SqliteBackup.RestoreAsync(result.GetValue(from)!, Storage(result), output, ct);
        }));

        var root = new RootCommand("Dispatch silo commands for backups of the embedded store.") { backup, verify, restore };
        foreach (var command in root.Subcommands)
        {
            command.TreatUnmatchedTokensAsErrors = false;
        }

        var parsed = root.Parse(args);
        var code = await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return parsed.Errors.Count > 0 ? 2 : code;
    }

    /// <summary>The store as the silo would find it, from the arguments the command did not take.</summary>
    private static DispatchStorageOptions Storage(ParseResult result)
    {
        var builder = Host.CreateApplicationBuilder([.. result.UnmatchedTokens]);
        return SiloHostingExtensions.ReadStorage(builder.Configuration, builder.Environment.ContentRootPath);
    }

    private static async Task<int> Run(TextWriter error, Func<Task> work)
    {
        try
        {
            await work();
            return 0;
        }
        catch (Exception e) when (e is BackupException or InvalidOperationException)
        {
            // InvalidOperationException: configuration that names its key (ReadStorage).
            await error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
