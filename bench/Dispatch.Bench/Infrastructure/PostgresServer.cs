using System.Diagnostics;
using Npgsql;

namespace Dispatch.Bench.Infrastructure;

/// <summary>
/// The PostgreSQL server the baseline (and Dispatch with <c>--target postgres</c>) run on: the one
/// named by <c>--baseline-connection</c> or <c>DISPATCH_TEST_POSTGRES</c>, else the distribution's
/// server as CI runs it (scripts/postgres.sh installs and starts it). Each run gets throw-away databases.
/// </summary>
public sealed class PostgresServer(string serverConnectionString)
{
    public const string ServerVariable = "DISPATCH_TEST_POSTGRES";

    public string ServerConnectionString { get; } = serverConnectionString;

    public static async Task<PostgresServer> FindAsync(string? connection, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return new PostgresServer(connection);
        }

        if (Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } fromEnvironment)
        {
            return new PostgresServer(fromEnvironment);
        }

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoPaths.PostgresScript);
        using var script = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var printed = await script.StandardOutput.ReadToEndAsync(cancellationToken);
        await script.WaitForExitAsync(cancellationToken);
        if (script.ExitCode != 0)
        {
            throw new InvalidOperationException($"{RepoPaths.PostgresScript} failed ({script.ExitCode}); pass --baseline-connection instead.");
        }

        return new PostgresServer(printed.Trim().Split('\n')[^1].Trim());
    }

    /// <summary>Creates an empty database, dropped when the result is disposed.</summary>
    public async Task<ThrowAwayDatabase> CreateDatabaseAsync(string purpose, CancellationToken cancellationToken)
    {
        var name = $"dispatch_bench_{purpose}_{Guid.NewGuid():N}"[..48];
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new ThrowAwayDatabase(ServerConnectionString, name);
    }
}

public sealed class ThrowAwayDatabase(string serverConnectionString, string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
