using Microsoft.Data.Sqlite;

namespace Dispatch.Silo.Hosting;

/// <summary>Where grain state, reminders and (in cluster mode) membership are kept.</summary>
public enum StorageProvider
{
    /// <summary>The embedded default: one file in the data folder, for one machine.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by every silo of a cluster.</summary>
    PostgreSQL,
}

/// <summary>
/// Where Dispatch keeps its data: <c>Dispatch:Storage:Provider</c> (<c>Sqlite</c> by default, or
/// <c>PostgreSQL</c> with <c>ConnectionStrings:Dispatch</c>), and the local data folder
/// <c>Dispatch:DataDir</c> (default <c>./data</c>: the SQLite file and the token signing key).
/// </summary>
public sealed class DispatchStorageOptions
{
    public const string DataDirKey = "Dispatch:DataDir";
    public const string ProviderKey = "Dispatch:Storage:Provider";
    public const string ConnectionStringName = "Dispatch";
    public const string DatabaseFileName = "dispatch.db";

    /// <summary>The ADO.NET invariant under which the Orleans providers load Microsoft.Data.Sqlite.</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    public const string PostgresInvariant = "Npgsql";

    public StorageProvider Provider { get; init; } = StorageProvider.Sqlite;

    /// <summary>The data folder, absolute.</summary>
    public required string DataDir { get; init; }

    /// <summary>The PostgreSQL connection string (<c>ConnectionStrings:Dispatch</c>), when that is the provider.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>The SQLite connection string of the embedded store.</summary>
    public string SqliteConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(DataDir, DatabaseFileName),
        Pooling = true,

        // Seconds a statement waits on a busy database (another writer, a checkpoint) before failing.
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>The invariant the Orleans ADO.NET providers load the driver by.</summary>
    public string Invariant => Provider == StorageProvider.PostgreSQL ? PostgresInvariant : SqliteInvariant;

    /// <summary>The connection string the Orleans ADO.NET providers use.</summary>
    public string ConnectionString => Provider == StorageProvider.PostgreSQL ? PostgresConnectionString! : SqliteConnectionString;
}
