using Dispatch.IntegrationTests.Notifications;
using Dispatch.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>Every browser test shares one host and one Chromium: starting either costs more than most journeys.</summary>
[CollectionDefinition(Name)]
public sealed class SharedBrowser : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// One Dispatch (the real host, serving the pages from src/WebHost, on Kestrel so that Chromium can
/// reach it) on a fake clock, and one headless Chromium. Journeys move <see cref="Clock"/> to make a
/// token expire or a deadline pass instead of waiting for it; a journey that moves it must not
/// depend on anything another journey left pending.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Volunteers per community: enough for each journey to act as its own volunteer.</summary>
    public const int VolunteersPerCommunity = 12;

    private readonly TempDirectory directory = new();
    private IPlaywright playwright = null!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public DispatchApp Dispatch { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>
    /// The SMTP server the host sends e-mail through (a real one on loopback): e-mail is configured
    /// here, SMS is not, so a person's channels page shows one of each.
    /// </summary>
    public SmtpSink Mail { get; } = SmtpSink.Start();

    public async Task InitializeAsync()
    {
        // An expectation waits until it holds: 15 s rather than Playwright's 5 s costs a passing
        // test nothing, and on two cores busy with the whole suite a sign-in (a slow password hash
        // on purpose) or a live update can take longer than 5 s to show.
        Assertions.SetDefaultExpectTimeout(15_000);
        var contentRoot = Path.Combine(Repository.Root(), "src", "WebHost");
        var mail = new Dictionary<string, string?>
        {
            ["Dispatch:Notifications:Email:Host"] = "127.0.0.1",
            ["Dispatch:Notifications:Email:Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dispatch:Notifications:Email:Tls"] = "None",
            ["Dispatch:Notifications:Email:From"] = "dispatch@naji.example.org",
        };
        Dispatch = new DispatchApp(directory.Path, mail, Clock, host => host.UseContentRoot(contentRoot));
        Dispatch.UseKestrel(0);
        Dispatch.StartServer();
        BaseAddress = Dispatch.ClientOptions.BaseAddress;

        using var admin = await Dispatch.Admin();
        await World.Seed(admin, VolunteersPerCommunity);
        await DeskWorld.Seed(admin);

        // Urgent errands climb every two seconds of the fake clock: the acknowledge journey's alerts.
        await Policies.Set(admin, "errand", "urgent", Policies.TwoSeconds);

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
        await Dispatch.DisposeAsync();
        await Mail.DisposeAsync();
        directory.Dispose();
    }
}
