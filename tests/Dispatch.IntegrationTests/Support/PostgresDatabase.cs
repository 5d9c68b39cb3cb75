using Npgsql;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// A throw-away PostgreSQL database (<c>dispatch_test_&lt;guid&gt;</c>) on the server named by the
/// environment variable <c>DISPATCH_TEST_POSTGRES</c> (the connection string of a role that may
/// create databases; scripts/test.sh sets it by running scripts/postgres.sh), dropped on dispose.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string ServerVariable = "DISPATCH_TEST_POSTGRES";

    private readonly string serverConnectionString;

    private PostgresDatabase(string serverConnectionString, string name)
    {
        this.serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>A connection string to this database, with the server's role.</summary>
    public string ConnectionString { get; }

    /// <summary>The server's connection string from <c>DISPATCH_TEST_POSTGRES</c>; fails (never skips) without it.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set, so the PostgreSQL tests have no server. Run the tests with scripts/test.sh, " +
                $"or first run: export {ServerVariable}=$(bash scripts/postgres.sh)");

    /// <summary>Creates an empty database.</summary>
    public static async Task<PostgresDatabase> CreateAsync()
    {
        var server = ServerConnectionString;
        var database = new PostgresDatabase(server, $"dispatch_test_{Guid.NewGuid():N}");
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {database.Name};", connection);
        await command.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>A new open connection to this database.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs a statement; returns the rows it affected.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row (null when there is none, or it is NULL).</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync() is T value ? value : default;
    }

    /// <summary>Every row, each as its column values.</summary>
    public async Task<List<object?[]>> RowsAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row.Select(v => v is DBNull ? null : v).ToArray());
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        // Our pooled connections first; FORCE ends any other session still on it (a provider's pool).
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
