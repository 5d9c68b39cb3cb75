using System.Globalization;
using System.Security.Cryptography;
using System.Security.Claims;
using Dispatch.Silo.Backup;
using Dispatch.Silo.Hosting;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Backups;

/// <summary>A backup taken through the API: its folder's name under <c>backups/</c> in the data folder, and what it holds.</summary>
public sealed record BackupView(string Name, long Bytes, DateTimeOffset CreatedAt, long GrainStates, long Reminders, IReadOnlyList<string> Schema);

/// <summary>
/// Admins take a backup of the embedded store without a shell on the machine (before an upgrade,
/// say). It lands in the data folder, on the same disk as the store: copy it elsewhere to survive
/// losing the machine. The signing key is never in it.
/// </summary>
public static partial class BackupApi
{
    public const string FolderName = "backups";

    public static RouteGroupBuilder MapBackupApi(this RouteGroupBuilder api)
    {
        api.MapPost("/admin/backups", CreateBackup).RequireAuthorization(AuthenticationSetup.AdminPolicy).WithTags("Admin")
            .WithSummary("Back up the embedded SQLite store into the data folder's backups/ while Dispatch runs (admin).");
        return api;
    }

    private static async Task<Results<Created<BackupView>, ProblemHttpResult>> CreateBackup(
        DispatchStorageOptions storage, TimeProvider clock, ClaimsPrincipal user, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (storage.Provider != StorageProvider.Sqlite)
        {
            return Problems.Refusal(StatusCodes.Status409Conflict, "notSqlite",
                "The store is PostgreSQL: back it up with scripts/backup-postgres.sh (docs/OPERATIONS.md).");
        }

        // Sorted by time, and a random suffix: two backups asked for at the same moment get two names.
        var name = "dispatch-" + clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)
            + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var logger = loggers.CreateLogger(typeof(BackupApi).FullName!);
        try
        {
            DataFolder.CreatePrivate(Path.Combine(storage.DataDir, FolderName));
            var manifest = await SqliteBackup.CreateAsync(
                storage, Path.Combine(storage.DataDir, FolderName, name), includeSigningKey: false, TextWriter.Null, clock, cancellationToken);
            var bytes = manifest.Files.Sum(f => f.Bytes);
            var username = user.Username();
            LogBackedUp(logger, name, bytes, username);
            return TypedResults.Created(
                (string?)null, new BackupView(name, bytes, manifest.CreatedAt, manifest.GrainStates, manifest.Reminders, manifest.Schema));
        }
        catch (BackupException e)
        {
            LogBackupFailed(logger, e, name);
            return Problems.Refusal(StatusCodes.Status500InternalServerError, "backupFailed", e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {Name} of {Bytes} bytes taken by {Username}")]
    private static partial void LogBackedUp(ILogger logger, string name, long bytes, string username);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backup {Name} failed")]
    private static partial void LogBackupFailed(ILogger logger, Exception exception, string name);
}
