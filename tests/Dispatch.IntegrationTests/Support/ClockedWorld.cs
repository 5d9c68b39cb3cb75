using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// A test class's own host on a fake clock, in a temporary directory, with the standard world:
/// for tests that move time (deadlines, hours, periods) without disturbing a shared fixture.
/// </summary>
public abstract class ClockedWorld(DateTimeOffset start, int volunteersPerCommunity = 2) : IAsyncLifetime
{
    private readonly TempDirectory directory = new();

    protected FakeTimeProvider Clock { get; } = new(start);

    /// <summary>Where the host keeps its data (the SQLite file), for tests that read storage itself.</summary>
    protected string DataDirectory => directory.Path;

    protected DispatchApp App { get; private set; } = null!;

    protected World World { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = CreateApp(directory.Path, Clock);
        World = await World.Create(App, volunteersPerCommunity);
        await Seeded();
    }

    /// <summary>The host on <paramref name="dataDir"/> and <paramref name="clock"/>: in memory unless a class serves it to a browser.</summary>
    protected virtual DispatchApp CreateApp(string dataDir, FakeTimeProvider clock) => new(dataDir, clock: clock);

    /// <summary>What a test class adds to the world before each test (accounts, policies, a first batch of work).</summary>
    protected virtual Task Seeded() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        directory.Dispose();
    }
}
