using Microsoft.Data.Sqlite;

namespace Dispatch.Silo.Hosting;

/// <summary>Where Dispatch keeps its data: configuration <c>Dispatch:DataDir</c> (default <c>./data</c>).</summary>
public sealed class DispatchStorageOptions
{
    public const string DataDirKey = "Dispatch:DataDir";
    public const string DatabaseFileName = "dispatch.db";

    /// <summary>The data folder, absolute.</summary>
    public required string DataDir { get; init; }

    /// <summary>The SQLite connection string of the embedded store.</summary>
    public string SqliteConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(DataDir, DatabaseFileName),
        Pooling = true,

        // Seconds a statement waits on a busy database (another writer, a checkpoint) before failing.
        DefaultTimeout = 30,
    }.ToString();
}
