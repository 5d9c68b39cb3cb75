using System.CommandLine;
using Dispatch.Silo.Commands;

namespace Dispatch.Silo.Backup;

/// <summary>
/// The operator's commands <c>backup</c>, <c>verify-backup</c> and <c>restore</c> of the embedded
/// store, registered in <see cref="SiloCommandLine"/>. Arguments they do not know are
/// configuration, read as the silo reads it (<c>--Dispatch:DataDir=/var/lib/dispatch</c>,
/// environment variables, appsettings.json).
/// Exit code 0 on success, 1 when the work could not be done (nothing changed), 2 for bad arguments.
/// </summary>
public static class BackupCommands
{
    public static readonly string[] Names = ["backup", "verify-backup", "restore"];

    /// <summary>Runs the silo program's command line (kept for the callers of the backup commands).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        SiloCommandLine.RunAsync(args, output, error, cancellationToken);

    public static Command Backup(SiloCommandContext context)
    {
        var to = new Option<string>("--to") { Description = "The backup folder to create (it must not exist yet).", Required = true };
        var withKey = new Option<bool>("--include-signing-key")
        {
            Description = "Also copy the generated token signing key (data folder's signing-key): whoever holds the backup can then sign tokens.",
        };
        var backup = new Command("backup", "Back up the embedded SQLite store while Dispatch runs.") { to, withKey };
        backup.SetAction((result, ct) => context.Run(async () =>
        {
            await SqliteBackup.CreateAsync(SiloCommandContext.Storage(result), result.GetValue(to)!, result.GetValue(withKey), context.Output, TimeProvider.System, ct);
        }));
        return backup;
    }

    public static Command VerifyBackup(SiloCommandContext context)
    {
        var from = From();
        var verify = new Command("verify-backup", "Check a backup (checksums, SQLite integrity, schema) without restoring it.") { from };
        verify.SetAction((result, ct) => context.Run(async () =>
        {
            var manifest = await SqliteBackup.VerifyAsync(result.GetValue(from)!, ct);
            await context.Output.WriteLineAsync(
                $"{Path.GetFullPath(result.GetValue(from)!)} is a whole backup of {manifest.Source}, taken {manifest.CreatedAt:u}: " +
                $"{manifest.GrainStates} grain states, {manifest.Reminders} reminders, schema {string.Join(" ", manifest.Schema)}, " +
                (manifest.HasSigningKey ? "with" : "without") + " the signing key.");
        }));
        return verify;
    }

    public static Command Restore(SiloCommandContext context)
    {
        var from = From();
        var restore = new Command("restore", "Replace the data folder's store with a backup; Dispatch must be stopped.") { from };
        restore.SetAction((result, ct) => context.Run(async () =>
        {
            await SqliteBackup.RestoreAsync(result.GetValue(from)!, SiloCommandContext.Storage(result), context.Output, ct);
        }));
        return restore;
    }

    private static Option<string> From() =>
        new("--from") { Description = "A backup folder written by the backup command.", Required = true };
}
