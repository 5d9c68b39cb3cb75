using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Dispatch.Silo.Hosting;
using Dispatch.Silo.Storage;
using Microsoft.Data.Sqlite;

namespace Dispatch.Silo.Backup;

/// <summary>
/// Backups of the embedded SQLite store, taken while Dispatch runs, and their restore.
/// </summary>
/// <remarks>
/// A backup is a folder: <c>dispatch.db</c> (a self-contained copy, not in WAL mode), the
/// <c>signing-key</c> when asked for, and <c>backup.json</c> with every file's SHA-256. It is
/// built under a hidden temporary name beside the target and renamed into place only once
/// complete and checked, so a folder with the target's name is always a whole backup.
/// </remarks>
public static class SqliteBackup
{
    /// <summary>The generated token signing key in the data folder (the web host's <c>SigningKeyProvider.KeyFileName</c>).</summary>
    public const string SigningKeyFileName = "signing-key";

    private const SqliteOpenMode ExistingFile = SqliteOpenMode.ReadWrite;

    /// <summary>
    /// Copies the live store with SQLite's online backup API into the new folder <paramref name="to"/>.
    /// The copy is one read transaction of the source: a consistent snapshot of everything committed
    /// when it began. In WAL mode a reader does not block the writer, so Dispatch keeps writing meanwhile.
    /// </summary>
    public static async Task<BackupManifest> CreateAsync(
        DispatchStorageOptions storage, string to, bool includeSigningKey, TextWriter log, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        RequireSqlite(storage, "backup", "scripts/backup-postgres.sh");
        var source = Path.Combine(storage.DataDir, DispatchStorageOptions.DatabaseFileName);
        if (!File.Exists(source))
        {
            throw new BackupException($"There is no Dispatch store at {source}: check {DispatchStorageOptions.DataDirKey}.");
        }

        var target = Path.GetFullPath(to);
        if (Path.Exists(target))
        {
            throw new BackupException($"{target} already exists: a backup never overwrites anything, give it a new name.");
        }

        var parent = Path.GetDirectoryName(target) ?? throw new BackupException($"{target} cannot be a backup folder.");
        var temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(parent);

            // Private to its owner: the store holds password hashes and beneficiaries' contacts.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(temporary);
            }
            else
            {
                Directory.CreateDirectory(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"Cannot write the backup to {target}: {e.Message}", e);
        }

        try
        {
            var stopwatch = Stopwatch.StartNew();
            DateTimeOffset began;
            var copy = Path.Combine(temporary, DispatchStorageOptions.DatabaseFileName);
            await using (var live = await OpenAsync(source, cancellationToken))
            {
                var pages = await ScalarAsync<long>(live, "PRAGMA page_count;", cancellationToken);
                var pageSize = await ScalarAsync<long>(live, "PRAGMA page_size;", cancellationToken);
                await log.WriteLineAsync($"Backing up {source} ({Size(pages * pageSize)}) to {target} ...");
                // Created empty and private first: SQLite keeps the mode, and gives it to its journal.
                await using (new FileStream(copy, PrivateCreate()))
                {
                }

                await using var destination = new SqliteConnection(ConnectionString(copy, SqliteOpenMode.ReadWriteCreate));
                await destination.OpenAsync(cancellationToken);
                began = clock.GetUtcNow();
                live.BackupDatabase(destination);
            }

            // One file that needs nothing beside it; Dispatch switches it back to WAL when it opens it.
            await using (var check = await OpenAsync(copy, cancellationToken))
            {
                await ScalarAsync<string>(check, "PRAGMA journal_mode=DELETE;", cancellationToken);
            }

            var contents = await InspectAsync(copy, cancellationToken);
            List<string> files = [DispatchStorageOptions.DatabaseFileName];
            var key = Path.Combine(storage.DataDir, SigningKeyFileName);
            if (includeSigningKey && File.Exists(key))
            {
                CopyPrivate(key, Path.Combine(temporary, SigningKeyFileName));
                files.Add(SigningKeyFileName);
            }
            else if (includeSigningKey)
            {
                await log.WriteLineAsync(
                    $"No {SigningKeyFileName} in {storage.DataDir} (Dispatch:Auth:SigningKey is set, or no token was issued yet): the backup has none.");
            }

            var manifest = new BackupManifest
            {
                Format = BackupManifest.CurrentFormat,
                CreatedAt = began,
                Source = storage.DataDir,
                Schema = contents.Schema,
                GrainStates = contents.GrainStates,
                Reminders = contents.Reminders,
                Files = [.. await Task.WhenAll(files.Select(f => DescribeAsync(temporary, f, cancellationToken)))],
            };
            await using (var stream = new FileStream(Path.Combine(temporary, BackupManifest.FileName), PrivateCreate()))
            {
                await JsonSerializer.SerializeAsync(stream, manifest, BackupManifest.Json, cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            Directory.Move(temporary, target);
            await log.WriteLineAsync(
                $"Backup written to {target} in {stopwatch.Elapsed.TotalSeconds:0.0} s: {Describe(manifest)}; integrity checked.");
            return manifest;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            throw new BackupException($"The backup to {target} failed, and nothing was written there: {e.Message}", e);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    /// <summary>
    /// Checks a backup folder without changing anything: its manifest, every file's SHA-256, SQLite's
    /// integrity check of the database, and that this build knows its schema. Throws <see cref="BackupException"/>
    /// saying what is wrong.
    /// </summary>
    public static async Task<BackupManifest> VerifyAsync(string from, CancellationToken cancellationToken = default)
    {
        var folder = Path.GetFullPath(from);
        if (!Directory.Exists(folder))
        {
            throw new BackupException(File.Exists(folder)
                ? $"{folder} is a file: a backup is the folder that the backup command wrote."
                : $"There is no backup at {folder}.");
        }

        BackupManifest manifest;
        try
        {
            await using var stream = File.OpenRead(Path.Combine(folder, BackupManifest.FileName));
            manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(stream, BackupManifest.Json, cancellationToken)
                ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new BackupException($"{folder} is not a Dispatch backup: its {BackupManifest.FileName} cannot be read ({e.Message}).", e);
        }

        if (manifest.Format != BackupManifest.CurrentFormat)
        {
            throw new BackupException($"{folder} has backup format {manifest.Format}, which this build does not read (it reads {BackupManifest.CurrentFormat}).");
        }

        if (manifest.Files.All(f => f.Name != DispatchStorageOptions.DatabaseFileName))
        {
            throw new BackupException($"{folder} lists no {DispatchStorageOptions.DatabaseFileName}.");
        }

        foreach (var file in manifest.Files)
        {
            if (file.Name is not (DispatchStorageOptions.DatabaseFileName or SigningKeyFileName))
            {
                throw new BackupException($"{folder} lists an unexpected file '{file.Name}'.");
            }

            var actual = File.Exists(Path.Combine(folder, file.Name))
                ? await DescribeAsync(folder, file.Name, cancellationToken)
                : throw new BackupException($"{file.Name} is missing from {folder}.");
            if (actual != file)
            {
                throw new BackupException(
                    $"{file.Name} in {folder} is damaged: {actual.Bytes} bytes with SHA-256 {actual.Sha256}, where the backup recorded {file.Bytes} bytes with {file.Sha256}.");
            }
        }

        var contents = await InspectAsync(Path.Combine(folder, DispatchStorageOptions.DatabaseFileName), cancellationToken);
        var unknown = contents.Schema.Except(SqliteSchema.Scripts, StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new BackupException(
                $"The backup in {folder} was taken from a newer Dispatch (schema scripts {string.Join(", ", unknown)}): restore it with that build or a later one.");
        }

        return manifest;
    }

    /// <summary>
    /// Puts the backup <paramref name="from"/> in place of the store in the data folder, after checking
    /// it, and refuses while any process has the store open. The store it replaces (with its WAL, and
    /// the signing key when the backup brings one) is moved to <c>pre-restore-&lt;time&gt;</c> in the
    /// data folder, not deleted. Returns that folder, or null when there was nothing to move aside.
    /// </summary>
    public static async Task<string?> RestoreAsync(
        string from, DispatchStorageOptions storage, TextWriter log, CancellationToken cancellationToken = default)
    {
        RequireSqlite(storage, "restore", "scripts/restore-postgres.sh");
        var manifest = await VerifyAsync(from, cancellationToken);
        var folder = Path.GetFullPath(from);
        var database = Path.Combine(storage.DataDir, DispatchStorageOptions.DatabaseFileName);
        try
        {
            Directory.CreateDirectory(storage.DataDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"Cannot create the data folder {storage.DataDir}: {e.Message}", e);
        }

        if (File.Exists(database))
        {
            await RequireNotInUseAsync(database, cancellationToken);
        }

        // Staged beside the store (same file system), so that putting it in place is a rename.
        var staged = manifest.Files
            .Select(f => (Backup: Path.Combine(folder, f.Name), Stage: Path.Combine(storage.DataDir, $"{f.Name}.restoring-{Environment.ProcessId}"), Final: Path.Combine(storage.DataDir, f.Name)))
            .ToArray();
        string[] replaced =
        [
            database, database + "-wal", database + "-shm", database + "-journal",
            .. manifest.HasSigningKey ? [Path.Combine(storage.DataDir, SigningKeyFileName)] : Array.Empty<string>(),
        ];
        string? aside = null;
        var movedAside = new List<(string Original, string Aside)>();
        var placed = new List<string>();
        try
        {
            foreach (var (backup, stage, _) in staged)
            {
                CopyPrivate(backup, stage);
            }

            foreach (var path in replaced.Where(File.Exists))
            {
                aside ??= Directory.CreateDirectory(Path.Combine(
                    storage.DataDir, "pre-restore-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture))).FullName;
                var destination = Path.Combine(aside, Path.GetFileName(path));
                File.Move(path, destination);
                movedAside.Add((path, destination));
            }

            foreach (var (_, stage, final) in staged)
            {
                File.Move(stage, final);
                placed.Add(final);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Put back what was moved aside: the store is as it was before the restore began.
            placed.ForEach(File.Delete);
            foreach (var (original, movedTo) in movedAside)
            {
                File.Move(movedTo, original);
            }

            if (aside is not null)
            {
                Directory.Delete(aside);
                aside = null;
            }

            throw new BackupException($"The restore into {storage.DataDir} failed, and the store there was left as it was: {e.Message}", e);
        }
        finally
        {
            foreach (var (_, stage, _) in staged)
            {
                File.Delete(stage);
            }
        }

        await log.WriteLineAsync($"Restored the backup of {manifest.CreatedAt:u} from {folder} into {storage.DataDir}: {Describe(manifest)}.");
        await log.WriteLineAsync(aside is null
            ? "There was no store there before."
            : $"The store it replaced is kept in {aside}: delete that folder once the restored store is checked.");
        if (!manifest.HasSigningKey)
        {
            await log.WriteLineAsync(File.Exists(Path.Combine(storage.DataDir, SigningKeyFileName))
                ? $"The backup has no signing key: the data folder's {SigningKeyFileName} stays, so tokens it signed stay valid."
                : "The backup has no signing key: unless Dispatch:Auth:SigningKey is set, Dispatch generates a new one and everyone signs in again.");
        }

        return aside;
    }

    /// <summary>
    /// Fails while another connection, in this process or another, has the store open. Every
    /// connection to a WAL database holds a shared lock on the file for as long as it is open (a
    /// running Dispatch keeps pooled ones open, and always has its store in WAL mode), and leaving
    /// WAL mode needs the only one: it is refused while any other is open. When nobody else is,
    /// the switch folds the WAL into the file, which is then complete on its own; the content is
    /// unchanged, and Dispatch turns WAL back on when it next opens it.
    /// </summary>
    internal static async Task RequireNotInUseAsync(string database, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(ConnectionString(database, ExistingFile)) { DefaultTimeout = 1 };
        await using var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            // The pragma answers the mode it left the store in: still "wal" means someone else holds it.
            var mode = await ScalarAsync<string>(connection, "PRAGMA journal_mode=DELETE;", cancellationToken);
            if (!string.Equals(mode, "delete", StringComparison.OrdinalIgnoreCase))
            {
                throw new BackupException(InUse(database));
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            throw new BackupException(InUse(database), e);
        }
        catch (SqliteException e)
        {
            throw new BackupException($"The store {database} cannot be opened to check that it is unused: {e.Message}", e);
        }
    }

    private static string InUse(string database) =>
        $"The store {database} is in use: stop every Dispatch web host and silo that uses this data folder, then restore.";

    private static void RequireSqlite(DispatchStorageOptions storage, string command, string script)
    {
        if (storage.Provider != StorageProvider.Sqlite)
        {
            throw new BackupException(
                $"{DispatchStorageOptions.ProviderKey} is {storage.Provider}: this {command} is for the embedded SQLite store. Use {script} (see docs/OPERATIONS.md).");
        }
    }

    private sealed record Contents(IReadOnlyList<string> Schema, long GrainStates, long Reminders);

    /// <summary>Runs SQLite's integrity check on a database file and reads what it holds.</summary>
    private static async Task<Contents> InspectAsync(string database, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(database, cancellationToken);
            var integrity = await ScalarAsync<string>(connection, "PRAGMA integrity_check(1);", cancellationToken);
            if (integrity != "ok")
            {
                throw new BackupException($"{database} fails SQLite's integrity check: {integrity}");
            }

            var tables = new List<string>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table';";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    tables.Add(reader.GetString(0));
                }
            }

            if (!tables.Contains("DispatchSchema") || !tables.Contains("OrleansStorage"))
            {
                throw new BackupException($"{database} is a SQLite database, but not a Dispatch store.");
            }

            var schema = new List<string>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT Script FROM DispatchSchema ORDER BY Script;";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    schema.Add(reader.GetString(0));
                }
            }

            var reminders = tables.Contains("OrleansRemindersTable")
                ? await ScalarAsync<long>(connection, "SELECT count(*) FROM OrleansRemindersTable;", cancellationToken)
                : 0;
            return new Contents(schema, await ScalarAsync<long>(connection, "SELECT count(*) FROM OrleansStorage;", cancellationToken), reminders);
        }
        catch (SqliteException e)
        {
            throw new BackupException($"{database} is not a readable SQLite database: {e.Message}", e);
        }
    }

    private static async Task<SqliteConnection> OpenAsync(string database, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString(database, ExistingFile));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Unpooled, so that the file is closed when the connection is: it is about to be moved.</summary>
    private static string ConnectionString(string database, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = database,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync(cancellationToken))!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static async Task<BackupFile> DescribeAsync(string folder, string name, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(Path.Combine(folder, name));
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return new BackupFile(name, stream.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>A new file, readable and writable by its owner only (on Linux and macOS).</summary>
    private static FileStreamOptions PrivateCreate()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>Copies a file readable by its owner only (on Linux and macOS): a store holds password hashes and contacts, the key signs tokens.</summary>
    private static void CopyPrivate(string from, string to)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var source = File.OpenRead(from);
        using var destination = new FileStream(to, options);
        source.CopyTo(destination);
        destination.Flush(flushToDisk: true);
    }

    private static string Describe(BackupManifest manifest)
    {
        var database = manifest.Files.Single(f => f.Name == DispatchStorageOptions.DatabaseFileName);
        return $"{DispatchStorageOptions.DatabaseFileName} {Size(database.Bytes)}, {manifest.GrainStates} grain states, " +
            $"{manifest.Reminders} reminders, schema {string.Join(" ", manifest.Schema)}" +
            (manifest.HasSigningKey ? $", with the {SigningKeyFileName}" : $", without a {SigningKeyFileName}");
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.00} GiB"),
    };
}

/// <summary>A backup or restore that cannot be done; its message says why, for the operator.</summary>
public sealed class BackupException : Exception
{
    public BackupException()
    {
    }

    public BackupException(string message)
        : base(message)
    {
    }

    public BackupException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
