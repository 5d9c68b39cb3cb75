using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Dispatch.Silo.Storage;

/// <summary>
/// Brings a PostgreSQL database up to the schema this build expects: the embedded scripts under
/// Storage/PostgreSql, applied in name order, each in its own transaction, and recorded in
/// <c>dispatchschema</c> with a checksum. A script runs when it is new to the database or its text
/// changed (they are all re-runnable, so a corrected query reaches existing databases). A database
/// that records a script this build does not know was upgraded by a newer build and is refused.
/// Safe to run on every start and from several processes at once: the whole migration holds a
/// session advisory lock of the database, so concurrent runs take turns and the later ones find
/// nothing to do.
/// </summary>
/// <remarks>
/// The objects are created unqualified, in the first schema of the connection's search_path
/// (normally <c>public</c>, where PostgreSQL 15 lets only the database owner create), because the
/// Orleans providers read their queries with an unqualified SELECT on the same search_path.
/// </remarks>
public static partial class PostgresSchema
{
    private const string ResourcePrefix = "Dispatch.Silo.Storage.PostgreSql.";

    /// <summary>The advisory lock key of the migration ("DISPATCH" in ASCII); advisory locks are per database.</summary>
    private const long MigrationLockKey = 0x4449_5350_4154_4348;

    /// <summary>The scripts this build carries, in the order they apply.</summary>
    public static IReadOnlyList<string> Scripts { get; } = typeof(PostgresSchema).Assembly
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Applies the missing or changed scripts. Returns the schema version: the number of scripts applied in all.</summary>
    public static async Task<int> ApplyAsync(string connectionString, ILogger logger, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(logger);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);

        // Held across the scripts' transactions; released below, or by the server if this process dies.
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLockKey});", ct);
        try
        {
            return await ApplyLockedAsync(connection, logger, ct);
        }
        finally
        {
            // Not cancellable: the lock must not outlive the migration on a pooled connection. Should
            // the connection be broken, the server has ended the session and its locks with it (and a
            // pooled connection is reset with DISCARD ALL before its next use).
            try
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLockKey});", CancellationToken.None);
            }
            catch (NpgsqlException)
            {
            }
        }
    }

    private static async Task<int> ApplyLockedAsync(NpgsqlConnection connection, ILogger logger, CancellationToken ct)
    {
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS dispatchschema
            (
                script    text        NOT NULL PRIMARY KEY,
                checksum  text        NOT NULL,
                appliedon timestamptz NOT NULL
            );
            """, ct);

        var applied = await AppliedScriptsAsync(connection, ct);
        var unknown = applied.Keys.Except(Scripts, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            LogRefused(logger, string.Join(", ", unknown));
            throw new InvalidOperationException(
                $"The database was upgraded by a newer Dispatch (scripts {string.Join(", ", unknown)}); this build cannot use it.");
        }

        foreach (var script in Scripts)
        {
            var text = Read(script);
            var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            var known = applied.GetValueOrDefault(script);
            if (known == checksum)
            {
                continue;
            }

            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                await using (var command = new NpgsqlCommand(text, connection, transaction))
                {
                    await command.ExecuteNonQueryAsync(ct);
                }

                await using (var record = new NpgsqlCommand("""
                    INSERT INTO dispatchschema (script, checksum, appliedon) VALUES (@script, @checksum, now())
                    ON CONFLICT (script) DO UPDATE SET checksum = excluded.checksum, appliedon = excluded.appliedon;
                    """, connection, transaction))
                {
                    record.Parameters.AddWithValue("script", script);
                    record.Parameters.AddWithValue("checksum", checksum);
                    await record.ExecuteNonQueryAsync(ct);
                }

                await transaction.CommitAsync(ct);
            }

            if (known is null)
            {
                LogApplied(logger, script);
            }
            else
            {
                LogReapplied(logger, script);
            }
        }

        return Scripts.Count;
    }

    /// <summary>Script name → checksum of the text last applied.</summary>
    private static async Task<Dictionary<string, string>> AppliedScriptsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT script, checksum FROM dispatchschema;", connection);
        var scripts = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            scripts[reader.GetString(0)] = reader.GetString(1);
        }

        return scripts;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Read(string script)
    {
        using var stream = typeof(PostgresSchema).Assembly.GetManifestResourceStream(ResourcePrefix + script)
            ?? throw new InvalidOperationException($"Embedded schema script '{script}' is missing.");
        using var reader = new StreamReader(stream);

        // The same checksum whatever line endings the checkout gave the file.
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied PostgreSQL schema script {Script}")]
    private static partial void LogApplied(ILogger logger, string script);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-applied PostgreSQL schema script {Script}, whose text changed")]
    private static partial void LogReapplied(ILogger logger, string script);

    [LoggerMessage(Level = LogLevel.Error, Message = "The PostgreSQL database was upgraded by a newer Dispatch (scripts {Scripts}); refusing it")]
    private static partial void LogRefused(ILogger logger, string scripts);
}
