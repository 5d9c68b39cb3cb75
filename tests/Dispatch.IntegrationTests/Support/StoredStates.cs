using Dispatch.Silo.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// Grain state as it is stored in a data folder's SQLite file, read with the silo's serializer:
/// what a restart would load, readable while another process runs on the folder.
/// </summary>
public static class StoredStates
{
    private static readonly Lazy<Serializer> Serializer = new(() => new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(Dispatch.Notifications.DeliveryOutbox).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>());

    /// <summary>Every stored state named <paramref name="stateName"/> (the grain's <c>PersistentState</c> name).</summary>
    public static async Task<List<T>> Read<T>(string dataDir, string stateName)
    {
        var options = new DispatchStorageOptions { DataDir = dataDir };
        var unpooled = new SqliteConnectionStringBuilder(options.SqliteConnectionString) { Pooling = false };
        await using var connection = new SqliteConnection(unpooled.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString = @name AND PayloadBinary IS NOT NULL;";
        command.Parameters.AddWithValue("@name", stateName);
        var states = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            states.Add(Serializer.Value.Deserialize<T>((byte[])reader[0])!);
        }

        return states;
    }
}
