using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Dispatch.Silo.Storage;

/// <summary>
/// Brings a SQLite database up to the schema this build expects: the embedded scripts under
/// Storage/Sqlite, applied in name order, each in its own transaction, and recorded in
/// <c>DispatchSchema</c> with a checksum. A script runs when it is new to the database or its text
/// changed (they are all re-runnable, so a corrected query reaches existing databases). Safe to
/// run on every start and from several processes at once.
/// </summary>
public static partial class SqliteSchema
{
    private const string ResourcePrefix = "Dispatch.Silo.Storage.Sqlite.";

    /// <summary>The scripts this build carries, in the order they apply.</summary>
    public static IReadOnlyList<string> Scripts { get; } = typeof(SqliteSchema).Assembly
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Applies the missing scripts. Returns the schema version: the number of scripts applied in all.</summary>
    public static async Task<int> ApplyAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        // WAL is a property of the file: set once, it stays. It lets readers run beside the single writer.
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS DispatchSchema
            (
                Script    TEXT NOT NULL PRIMARY KEY,
                Checksum  TEXT NOT NULL,
                AppliedOn TEXT NOT NULL
            );
            """, cancellationToken);

        var applied = await AppliedScriptsAsync(connection, transaction: null, cancellationToken);
        var unknown = applied.Keys.Except(Scripts, StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new InvalidOperationException(
                $"The database was upgraded by a newer Dispatch (scripts {string.Join(", ", unknown)}); this build cannot use it.");
        }

        foreach (var script in Scripts)
        {
            var text = Read(script);
            var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            if (applied.TryGetValue(script, out var known) && known == checksum)
            {
                continue;
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

            // Another process may have applied it while we were looking.
            if ((await AppliedScriptsAsync(connection, transaction, cancellationToken)).TryGetValue(script, out var now) && now == checksum)
            {
                continue;
            }

            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = text + """

                    INSERT INTO DispatchSchema (Script, Checksum, AppliedOn) VALUES ($script, $checksum, $now)
                    ON CONFLICT (Script) DO UPDATE SET Checksum = excluded.Checksum, AppliedOn = excluded.AppliedOn;
                    """;
                command.Parameters.AddWithValue("$script", script);
                command.Parameters.AddWithValue("$checksum", checksum);
                command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogApplied(logger, script);
        }

        return Scripts.Count;
    }

    /// <summary>Script name → checksum of the text last applied.</summary>
    private static async Task<Dictionary<string, string>> AppliedScriptsAsync(
        SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT Script, Checksum FROM DispatchSchema;";
        var scripts = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            scripts[reader.GetString(0)] = reader.GetString(1);
        }

        return scripts;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Read(string script)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + script)
            ?? throw new InvalidOperationException($"Embedded schema script '{script}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied SQLite schema script {Script}")]
    private static partial void LogApplied(ILogger logger, string script);
}
