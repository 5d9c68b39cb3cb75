using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>One Dispatch process (serving the pages from src/WebHost) and one headless Chromium for the browser tests.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly TempDirectory directory = new();
    private IPlaywright playwright = null!;

    public DispatchProcess Dispatch { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Dispatch = await DispatchProcess.Start(directory.Path, contentRoot: Path.Combine(Repository.Root(), "src", "WebHost"));
        using var admin = await Dispatch.Admin();
        await World.Seed(admin);

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        Dispatch.Dispose();
        directory.Dispose();
    }
}
