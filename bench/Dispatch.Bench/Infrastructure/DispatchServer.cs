using System.Globalization;

namespace Dispatch.Bench.Infrastructure;

/// <summary>Where Dispatch keeps its state in a run: the embedded default (SQLite) or PostgreSQL.</summary>
public enum DispatchTarget
{
    Embedded,
    Postgres,
}

/// <summary>
/// Dispatch as its users run it: the web host with its co-hosted silo (Dispatch.WebHost.dll from
/// this program's output, Release when the bench is), in a process of its own with a fresh data folder.
/// </summary>
public sealed class DispatchServer : IAsyncDisposable
{
    public const string AdminPassword = "bench-admin-secret";

    /// <summary>The signing key Dispatch uses in a run; the baseline validates the same tokens with it.</summary>
    public const string SigningKey = "dispatch-bench-signing-key-0123456789abcdef";

    private readonly string dataDir;

    private DispatchServer(ChildProcess process, string dataDir, ThrowAwayDatabase? database)
    {
        Process = process;
        this.dataDir = dataDir;
        Database = database;
    }

    public ChildProcess Process { get; }

    public ThrowAwayDatabase? Database { get; }

    public Uri BaseAddress => Process.BaseAddress;

    /// <param name="settings">Extra configuration as environment variables (<c>Dispatch__Volunteers__ClaimLimit</c>…).</param>
    /// <param name="raiseAbuseLimits">False to run with the rate limits as shipped.</param>
    public static async Task<DispatchServer> StartAsync(
        DispatchTarget target,
        PostgresServer? postgres,
        IReadOnlyDictionary<string, string>? settings,
        CancellationToken cancellationToken) =>
        await StartAsync(target, postgres, settings, raiseAbuseLimits: true, cancellationToken);

    /// <inheritdoc cref="StartAsync(DispatchTarget, PostgresServer?, IReadOnlyDictionary{string, string}?, CancellationToken)"/>
    public static async Task<DispatchServer> StartAsync(
        DispatchTarget target,
        PostgresServer? postgres,
        IReadOnlyDictionary<string, string>? settings,
        bool raiseAbuseLimits,
        CancellationToken cancellationToken)
    {
        var dataDir = Directory.CreateTempSubdirectory("dispatch-bench-").FullName;
        ThrowAwayDatabase? database = null;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Dispatch__DataDir"] = dataDir,
            ["Dispatch__Bootstrap__AdminPassword"] = AdminPassword,
            ["Dispatch__Auth__SigningKey"] = SigningKey,
            ["Dispatch__Auth__TokenLifetime"] = "04:00:00",
            ["Dispatch__Orleans__SiloPort"] = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Dispatch__Orleans__GatewayPort"] = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };

        if (raiseAbuseLimits)
        {
            // The bench fires a hundred claims per volunteer within seconds and signs in thousands
            // from one address, on purpose, to measure throughput: the abuse limits would turn that
            // into 429s. They are raised out of reach rather than removed, so the rate limiter's cost stays measured.
            environment["Dispatch__RateLimits__TokenPerAddress__Burst"] = "1000000";
            environment["Dispatch__RateLimits__TokenPerAddress__Refill"] = "1000000";
            environment["Dispatch__RateLimits__ClaimsPerVolunteer__Burst"] = "1000000";
            environment["Dispatch__RateLimits__ClaimsPerVolunteer__Refill"] = "1000000";
            environment["Dispatch__RateLimits__Concurrency__PermitLimit"] = "100000";
        }

        if (target == DispatchTarget.Postgres)
        {
            var server = postgres ?? throw new ArgumentNullException(nameof(postgres), "PostgreSQL is needed for --target postgres.");
            database = await server.CreateDatabaseAsync("dispatch", cancellationToken);
            environment["Dispatch__Storage__Provider"] = "PostgreSQL";
            environment["ConnectionStrings__Dispatch"] = database.ConnectionString;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        try
        {
            var process = await ChildProcess.StartAsync(
                target == DispatchTarget.Embedded ? "Dispatch (embedded)" : "Dispatch (PostgreSQL)",
                "Dispatch.WebHost.dll",
                ["--contentRoot", RepoPaths.WebHostContent],
                environment,
                "/health/ready",
                cancellationToken: cancellationToken);
            return new DispatchServer(process, dataDir, database);
        }
        catch
        {
            if (database is not null)
            {
                await database.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
