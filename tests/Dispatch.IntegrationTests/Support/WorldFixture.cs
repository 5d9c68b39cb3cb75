namespace Dispatch.IntegrationTests.Support;

/// <summary>One running Dispatch with a <see cref="World"/>, shared by the tests of a class.</summary>
public sealed class WorldFixture : IAsyncLifetime
{
    private readonly TempDirectory directory = new();

    public DispatchApp App { get; private set; } = null!;

    public World World { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = new DispatchApp(directory.Path);
        World = await World.Create(App);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        directory.Dispose();
    }
}
