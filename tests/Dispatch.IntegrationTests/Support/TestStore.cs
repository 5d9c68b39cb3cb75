using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Support;

/// <summary>The stores Dispatch runs on: tests where storage matters run on each.</summary>
public enum StoreKind
{
    Sqlite,
    PostgreSQL,
}

/// <summary>
/// A fresh store of either kind for one test: a data folder, and with PostgreSQL a throw-away
/// database (grain state, reminders and membership there). Apps made from it share the store, so
/// a second app sees what the first stored.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly TempDirectory directory = new();
    private readonly PostgresDatabase? database;

    private TestStore(StoreKind kind, PostgresDatabase? database)
    {
        Kind = kind;
        this.database = database;
    }

    public StoreKind Kind { get; }

    public string DataDir => directory.Path;

    /// <summary>The settings that point a host at this store.</summary>
    public IReadOnlyDictionary<string, string?> Settings => database is null
        ? new Dictionary<string, string?>()
        : new Dictionary<string, string?>
        {
            ["Dispatch:Storage:Provider"] = "PostgreSQL",
            ["ConnectionStrings:Dispatch"] = database.ConnectionString,
        };

    public static async Task<TestStore> Create(StoreKind kind) =>
        new(kind, kind == StoreKind.PostgreSQL ? await PostgresDatabase.CreateAsync() : null);

    /// <summary>The web host with its co-hosted silo on this store.</summary>
    public DispatchApp App(FakeTimeProvider? clock = null) => new(DataDir, Settings, clock);

    public async ValueTask DisposeAsync()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }

        directory.Dispose();
    }
}
