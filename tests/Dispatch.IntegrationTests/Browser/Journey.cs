using System.Collections.Concurrent;
using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// What every browser test shares: pages on the shared Chromium that report Content-Security-Policy
/// violations, console errors and uncaught exceptions (any of which fails the test, unless the test
/// names the error it expects), signing in by the form's accessible names, and screenshots kept in
/// docs/screenshots so a reader sees the pages as they are.
/// </summary>
[Collection(SharedBrowser.Name)]
public abstract class Journey(BrowserFixture fixture) : IAsyncLifetime
{
    /// <summary>Where the screenshots go: in the repository, named by journey.</summary>
    public static readonly string Screenshots = Path.Combine(Repository.Root(), "docs", "screenshots");

    // Reported by the page itself (the event) and by Chromium (the console error): either is enough to fail.
    private const string ReportViolations = """
        document.addEventListener("securitypolicyviolation", e =>
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
        """;

    private readonly List<IBrowserContext> contexts = [];
    private readonly List<string> expectedErrors = [];

    protected BrowserFixture Fixture { get; } = fixture;

    protected Uri BaseAddress => Fixture.BaseAddress;

    protected ConcurrentQueue<string> Violations { get; } = new();

    protected ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>The texts of the pages' own controls, in each language the tests use.</summary>
    protected static Texts En { get; } = new("Username", "Password", "Sign in", "Sign out");

    protected static Texts Zh { get; } = new("用户名", "密码", "登录", "退出");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }

        Assert.True(Violations.IsEmpty, "Content-Security-Policy violations:\n" + string.Join("\n", Violations));
        Assert.True(Errors.IsEmpty, "Console errors or uncaught exceptions:\n" + string.Join("\n", Errors));
    }

    /// <summary>A console error this test provokes on purpose (a refused claim's 409); matched as a substring.</summary>
    protected void ExpectConsoleError(string text) => expectedErrors.Add(text);

    /// <summary>A page in a fresh context (its own session storage), watched for violations and errors.</summary>
    /// <param name="beforeLoad">Runs on the page before it loads anything (installing a fake browser clock).</param>
    /// <param name="viewport">The window's size: 1100×800 unless given (the desk's journeys use 1366×768).</param>
    /// <param name="touch">A phone: a touch screen and a mobile browser (taps, not clicks).</param>
    protected async Task<IPage> NewPage(string locale, Func<IPage, Task>? beforeLoad = null, ViewportSize? viewport = null, bool touch = false)
    {
        var context = await Fixture.Browser.NewContextAsync(new()
        {
            Locale = locale,
            ViewportSize = viewport ?? new() { Width = 1100, Height = 800 },
            HasTouch = touch,
            IsMobile = touch,
            // Drawers and popups appear at once (the app honours reduced motion): a click never
            // lands where a sliding element was a moment ago, and screenshots show it in place.
            ReducedMotion = ReducedMotion.Reduce,
        });
        contexts.Add(context);
        await context.AddInitScriptAsync(ReportViolations);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type != "error")
            {
                return;
            }

            if (message.Text.StartsWith("CSP violation", StringComparison.Ordinal) || message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                Violations.Enqueue($"{page.Url}: {message.Text}");
            }
            else if (!expectedErrors.Any(e => message.Text.Contains(e, StringComparison.Ordinal)))
            {
                Errors.Enqueue($"{page.Url}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => Errors.Enqueue($"{page.Url}: uncaught {error}");
        if (beforeLoad is not null)
        {
            await beforeLoad(page);
        }

        return page;
    }

    /// <summary>Signs in through the form, found by its accessible names; the page reloads signed in.</summary>
    protected static async Task SignIn(IPage page, string username, Texts? texts = null)
    {
        texts ??= En;
        await page.GetByRole(AriaRole.Textbox, new() { Name = texts.Username, Exact = true }).FillAsync(username);
        await page.GetByLabel(texts.Password, new() { Exact = true }).FillAsync(World.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = texts.SignIn, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = texts.SignOut, Exact = true })).ToBeVisibleAsync();
    }

    /// <param name="fullPage">
    /// False for a phone page longer than its screen: what the phone shows, its tab bar at the bottom
    /// (a full-page picture draws the fixed tab bar across the middle of the list).
    /// </param>
    protected static async Task Screenshot(IPage page, string name, bool fullPage = true)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = fullPage });
    }

    /// <summary>A request's card (the app) or alert (the console): a group named by the request's title.</summary>
    protected static ILocator Group(ILocator within, string title) =>
        within.GetByRole(AriaRole.Group, new() { Name = title, Exact = true });

    /// <summary>The smallest control a finger hits reliably, each way (the app's rule for touch targets).</summary>
    public const float TouchTarget = 44;

    /// <summary>Taps a control as a finger does, after checking it is a touch target of at least 44 × 44 px.</summary>
    protected static async Task Tap(ILocator control)
    {
        await Assertions.Expect(control).ToBeVisibleAsync();
        var box = await control.BoundingBoxAsync();
        Assert.NotNull(box);
        // Layout in fractional pixels: a 44 px row can measure 43.99998 (a hundredth of a pixel is no finger's difference).
        const float Rounding = 0.01f;
        Assert.True(
            box.Width >= TouchTarget - Rounding && box.Height >= TouchTarget - Rounding,
            $"a touch target of {box.Width}×{box.Height} px, smaller than {TouchTarget} px each way");
        await control.TapAsync();
    }

    /// <summary>
    /// Waits (polling inside the page, no sleep here) until the app's service worker controls the page and
    /// keeps every built file it loaded and, for each of <paramref name="reads"/>, an API read whose
    /// address contains it: the barrier before a journey takes the network away. Fails with what the worker holds.
    /// </summary>
    protected static async Task AppKeptOffline(IPage page, params string[] reads)
    {
        var ready = await page.EvaluateAsync<bool>("""
            async (wanted) => {
              const ready = async () => {
                if (!navigator.serviceWorker.controller) return false;
                const shell = await (await caches.open("dispatch-app-shell-v1")).keys();
                const reads = await (await caches.open("dispatch-app-reads-v1")).keys();
                const built = performance.getEntriesByType("resource").map(e => e.name).filter(n => new URL(n).pathname.startsWith("/ui/assets/"));
                return built.every(n => shell.some(k => k.url === n)) && wanted.every(w => reads.some(k => k.url.includes(w)));
              };
              for (const until = Date.now() + 15000; Date.now() < until; await new Promise(r => setTimeout(r, 100))) {
                if (await ready()) return true;
              }
              return false;
            }
            """, reads);
        Assert.True(ready, "the service worker never kept the shell and the reads: " + await page.EvaluateAsync<string>("async () => String(!!navigator.serviceWorker.controller) + JSON.stringify((await navigator.serviceWorker.getRegistrations()).map(r => [r.scope, !!r.active, !!r.installing, !!r.waiting])) + JSON.stringify((await (await caches.open('dispatch-app-reads-v1')).keys()).map(k => k.url)) + JSON.stringify((await (await caches.open('dispatch-app-shell-v1')).keys()).map(k => k.url))"));
    }

    protected static ILocator Button(ILocator within, string name) =>
        within.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    protected static ILocator Button(IPage page, string name) =>
        page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>A section of the volunteer page (a region named by its heading).</summary>
    protected static ILocator Region(IPage page, string heading) =>
        page.GetByRole(AriaRole.Region, new() { Name = heading, Exact = true });

    public sealed record Texts(string Username, string Password, string SignIn, string SignOut);
}
