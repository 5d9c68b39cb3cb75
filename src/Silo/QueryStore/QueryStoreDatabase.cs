using System.Data.Common;
using Dispatch.Silo.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dispatch.Silo.QueryStore;

/// <summary>
/// The query store's connection and the few places where SQLite and PostgreSQL differ. Both run
/// the same SQL otherwise (<c>@name</c> parameters, <c>ON CONFLICT</c>, <c>NULLS LAST</c>).
/// </summary>
public sealed class QueryStoreDatabase(DispatchStorageOptions storage)
{
    public bool IsPostgres => storage.Provider == StorageProvider.PostgreSQL;

    public StorageProvider Provider => storage.Provider;

    public DbConnection Connection() => IsPostgres
        ? new NpgsqlConnection(storage.ConnectionString)
        : new SqliteConnection(storage.ConnectionString);

    public DbConnection Open()
    {
        var connection = Connection();
        connection.Open();
        return connection;
    }

    /// <summary>
    /// A connection for the projection's writes. On SQLite they commit without syncing the log:
    /// the store is caught up from grain state after a crash, and the next grain write's sync
    /// (<see cref="Storage.WalFlush"/>) makes them durable with it, before any history they archive is trimmed.
    /// </summary>
    public DbConnection OpenForWrites()
    {
        var connection = Open();
        if (!IsPostgres)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous = NORMAL;";
            command.ExecuteNonQuery();
        }

        return connection;
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = Connection();
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>A request id as the store keeps it: uuid on PostgreSQL, text on SQLite.</summary>
    public object Id(Guid id) => IsPostgres ? id : id.ToString("D");

    public Guid ReadId(DbDataReader reader, int ordinal) =>
        IsPostgres ? reader.GetGuid(ordinal) : Guid.Parse(reader.GetString(ordinal));

    /// <summary>The day ('2026-12-07') of a time in milliseconds (UTC), in SQL.</summary>
    public string DayOf(string column) => IsPostgres
        ? $"to_char(to_timestamp({column} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
        : $"date({column} / 1000, 'unixepoch')";

    /// <summary>The creation month ('2026-12', UTC) of a row, in SQL.</summary>
    public string MonthOf(string column) => IsPostgres
        ? $"to_char(to_timestamp({column} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM')"
        : $"strftime('%Y-%m', {column} / 1000, 'unixepoch')";

    /// <summary>The Monday (UTC) of the ISO week of a row, in SQL, as '2026-11-30'.</summary>
    public string WeekOf(string column) => IsPostgres
        ? $"to_char(date_trunc('week', to_timestamp({column} / 1000.0) AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"
        : $"date({column} / 1000, 'unixepoch', 'weekday 0', '-6 days')";

    public static DbParameter Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static int ToInt32(object? value) => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);

    public static long ToInt64(object? value) => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);

    public static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? Millis(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);
}
