using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The staff console and the volunteer page in real headless Chromium (Debian's, driven by
/// Playwright) against a real Dispatch process. Screenshots go to the test output's
/// <c>screenshots</c> folder. Every test fails on any Content-Security-Policy violation in its
/// pages, so the policy is shown to fit the pages rather than assumed to.
/// </summary>
public sealed class BrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    // Reported by the page itself (the event) and by Chromium (the console error): either is enough to fail.
    private const string ReportViolations = """
        document.addEventListener("securitypolicyviolation", e =>
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
        """;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> violations = new();

    private DispatchProcess Dispatch => fixture.Dispatch;

    private IBrowser Browser => fixture.Browser;

    [Fact]
    public async Task A_claim_made_through_the_api_appears_on_a_watching_console_without_a_reload()
    {
        var page = await NewPage("en-US");
        await page.GotoAsync($"{Dispatch.BaseAddress}console?place=m1");
        await SignIn(page, "staff-t1");
        await page.Locator(".status.live").WaitForAsync();

        using var staff = await Dispatch.LoginAs("staff-t1", World.Password);
        using var volunteer = await Dispatch.LoginAs(World.Volunteer("m1", 2), World.Password);
        var wish = await staff.CreateRequest("m1", title: "Thermos cup for Xiao Ming");
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");

        var card = page.Locator($"[data-status='claimed'] .card[data-id='{wish.Id}']");
        await card.WaitForAsync(new() { Timeout = 10_000 });
        Assert.Contains(World.Volunteer("m1", 2), await card.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Claimed", await page.Locator("[data-status='claimed'] h2").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "console-en.png"), FullPage = true });
    }

    [Fact]
    public async Task A_volunteer_claims_a_wish_with_one_tap_and_finds_it_under_my_claims()
    {
        using var staff = await Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: "Winter coat for Grandma Li");

        var page = await NewPage("en-US");
        await page.GotoAsync($"{Dispatch.BaseAddress}app");
        await SignIn(page, World.Volunteer("m1", 1));
        await page.Locator($"#open .card[data-id='{wish.Id}'] button.claim").ClickAsync();

        await page.Locator($"#claims .card[data-id='{wish.Id}']").WaitForAsync(new() { Timeout = 10_000 });
        Assert.Equal("Claimed. Thank you!", await page.Locator("#message").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "app-en.png"), FullPage = true });

    }

    [Fact]
    public async Task A_volunteer_who_loses_the_race_is_told_why()
    {
        using var staff = await Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: "Rice for the canteen");

        // This page gets no live updates, so the wish is still on its board when the other volunteer wins it.
        var page = await NewPage("en-US");
        await page.RouteAsync("**/hubs/**", route => route.AbortAsync());
        await page.GotoAsync($"{Dispatch.BaseAddress}app");
        await SignIn(page, World.Volunteer("m1", 2));
        var claim = page.Locator($"#open .card[data-id='{wish.Id}'] button.claim");
        await claim.WaitForAsync();
        using var winner = await Dispatch.LoginAs(World.Volunteer("m1", 1), World.Password);
        await winner.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");

        await claim.ClickAsync();

        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("Someone else was faster: every place is taken.");
        Assert.Equal(0, await page.Locator($"#claims .card[data-id='{wish.Id}']").CountAsync());
    }

    [Theory]
    [InlineData("zh-CN", "登录", "待认领", "中文", "我的认领")]
    [InlineData("en-US", "Sign in", "Open", "English", "My claims")]
    public async Task The_pages_speak_the_browsers_language_and_the_switch_overrides_it(string locale, string signIn, string openColumn, string name, string myClaims)
    {
        var app = await NewPage(locale);
        await app.GotoAsync($"{Dispatch.BaseAddress}app");
        Assert.Equal(signIn, await app.Locator("#signin button[type=submit]").InnerTextAsync());
        await SignIn(app, World.Volunteer("m1", 1));
        await app.Locator("#volunteer").WaitForAsync(new() { State = WaitForSelectorState.Visible });
        Assert.Equal(myClaims, await app.Locator("[data-t=myClaims]").InnerTextAsync());
        await app.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"app-{name}.png"), FullPage = true });

        var page = await NewPage(locale);
        await page.GotoAsync($"{Dispatch.BaseAddress}console?place=m1");
        Assert.Equal(signIn, await page.Locator("#signin button[type=submit]").InnerTextAsync());
        await SignIn(page, "staff-t1");
        await page.Locator("[data-status='open'] h2").WaitForAsync();
        Assert.Equal(openColumn, await page.Locator("[data-status='open'] h2").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"console-{name}.png"), FullPage = true });

        // The switch picks the other language, and the choice sticks.
        await page.Locator("#language").ClickAsync();
        var other = locale.StartsWith("zh", StringComparison.Ordinal) ? "Open" : "待认领";
        Assert.Equal(other, await page.Locator("[data-status='open'] h2").InnerTextAsync());
        await page.ReloadAsync();
        await page.Locator("[data-status='open'] h2").WaitForAsync();
        Assert.Equal(other, await page.Locator("[data-status='open'] h2").InnerTextAsync());
    }

    [Fact]
    public async Task A_violation_of_the_policy_is_caught_so_its_absence_means_something()
    {
        var page = await NewPage("en-US");
        await page.GotoAsync($"{Dispatch.BaseAddress}app");
        await page.EvaluateAsync("""
            () => {
              const script = document.createElement("script");
              script.textContent = "window.injected = true";
              document.head.appendChild(script);
            }
            """);

        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<bool?>("() => window.injected"));
        await Eventually.Get(() => Task.FromResult(violations.Count), count => count > 0, TimeSpan.FromSeconds(10));
        Assert.Contains(violations, v => v.Contains("script-src", StringComparison.Ordinal));
        violations.Clear();
    }

    [Fact]
    public async Task The_orleans_dashboard_runs_under_its_policy()
    {
        using var admin = await Dispatch.Admin();
        var token = admin.Http.DefaultRequestHeaders.Authorization!.Parameter;
        var page = await NewPage("en-US");
        await page.GotoAsync($"{Dispatch.BaseAddress}dashboard/?access_token={token}");
        Assert.EndsWith("/dashboard/", page.Url, StringComparison.Ordinal);

        // Its script has run once the menu is drawn; a few polls of its JSON follow.
        await Assertions.Expect(page.Locator("#menu")).Not.ToBeEmptyAsync(new() { Timeout = 20_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "dashboard.png"), FullPage = true });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Assert.True(violations.IsEmpty, "Content-Security-Policy violations:\n" + string.Join("\n", violations));
        return Task.CompletedTask;
    }

    private async Task<IPage> NewPage(string locale)
    {
        Directory.CreateDirectory(Screenshots);
        var context = await Browser.NewContextAsync(new() { Locale = locale, ViewportSize = new() { Width = 1100, Height = 800 } });
        await context.AddInitScriptAsync(ReportViolations);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && (message.Text.StartsWith("CSP violation", StringComparison.Ordinal)
                || message.Text.Contains("Content Security Policy", StringComparison.Ordinal)))
            {
                violations.Enqueue($"{page.Url}: {message.Text}");
            }
        };
        return page;
    }

    private static async Task SignIn(IPage page, string username)
    {
        await page.Locator("#username").FillAsync(username);
        await page.Locator("#password").FillAsync(World.Password);
        await page.Locator("#signin button[type=submit]").ClickAsync();

        // Signed in, the page reloads without the form.
        await page.Locator("#signin").WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        await page.Locator("#signout").WaitForAsync(new() { State = WaitForSelectorState.Visible });
    }
}
