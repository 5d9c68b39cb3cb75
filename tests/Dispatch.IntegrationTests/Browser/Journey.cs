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
    protected async Task<IPage> NewPage(string locale, Func<IPage, Task>? beforeLoad = null, ViewportSize? viewport = null)
    {
        var context = await Fixture.Browser.NewContextAsync(new() { Locale = locale, ViewportSize = viewport ?? new() { Width = 1100, Height = 800 } });
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

    protected static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    /// <summary>A request's card (the app) or alert (the console): a group named by the request's title.</summary>
    protected static ILocator Group(ILocator within, string title) =>
        within.GetByRole(AriaRole.Group, new() { Name = title, Exact = true });

    protected static ILocator Button(ILocator within, string name) =>
        within.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    protected static ILocator Button(IPage page, string name) =>
        page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>A section of the volunteer page (a region named by its heading).</summary>
    protected static ILocator Region(IPage page, string heading) =>
        page.GetByRole(AriaRole.Region, new() { Name = heading, Exact = true });

    public sealed record Texts(string Username, string Password, string SignIn, string SignOut);
}
