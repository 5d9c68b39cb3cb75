using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// One Dispatch with a <see cref="World"/>, shared by a test class; on the test's
/// <see cref="Clock"/> when made with one. Subclasses add what their tests need in <see cref="ArrangeAsync"/>.
/// </summary>
public class WorldFixture : IAsyncLifetime
{
    private readonly TempDirectory directory = new();

    public WorldFixture()
    {
    }

    protected WorldFixture(FakeTimeProvider clock) => Clock = clock;

    /// <summary>The host's clock, when the fixture runs on a fake one.</summary>
    public FakeTimeProvider? Clock { get; }

    public DispatchApp App { get; private set; } = null!;

    public World World { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = new DispatchApp(directory.Path, Settings, Clock);
        World = await World.Create(App);
        await ArrangeAsync();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        directory.Dispose();
    }

    /// <summary>Configuration for the host, over the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    /// <summary>Runs once, after the world is seeded and before any test.</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;
}
