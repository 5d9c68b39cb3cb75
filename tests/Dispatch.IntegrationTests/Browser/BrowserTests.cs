using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The staff console and the volunteer page in real headless Chromium (Debian's, driven by
/// Playwright) against a real Dispatch host: the live board, claiming and losing a race, the
/// languages, and the Content-Security-Policy checks themselves. Every test fails on any policy
/// violation or console error in its pages (see <see cref="Journey"/>), so the policy is shown to
/// fit the pages rather than assumed to.
/// </summary>
public sealed class BrowserTests(BrowserFixture fixture) : Journey(fixture)
{
    [Fact]
    public async Task A_claim_made_through_the_api_appears_on_a_watching_console_without_a_reload()
    {
        var page = await NewPage("en-US");
        await page.GotoAsync($"{BaseAddress}console/board/m1");
        await SignIn(page, "staff-t1");
        await Assertions.Expect(page.GetByText("Live", new() { Exact = true })).ToBeVisibleAsync();

        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        using var volunteer = await Fixture.Dispatch.LoginAs(World.Volunteer("m1", 2), World.Password);
        var wish = await staff.CreateRequest("m1", title: "Thermos cup for Xiao Ming");
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");

        // The card moves to the Claimed column, naming its claimant.
        var card = page.Locator("[data-status='claimed']").GetByRole(AriaRole.Button, new() { Name = wish.Title });
        await Assertions.Expect(card).ToContainTextAsync(World.Volunteer("m1", 2));
        await Assertions.Expect(page.Locator("[data-status='claimed']").GetByRole(AriaRole.Heading)).ToHaveTextAsync("Claimed");
        await Screenshot(page, "console-live-board");
        Assert.Equal(World.Volunteer("m1", 2), Assert.Single((await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Claimants));
    }

    [Fact]
    public async Task A_volunteer_claims_a_wish_with_one_tap_and_finds_it_under_my_claims()
    {
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: "Winter coat for Grandma Li");

        // On a phone: the Claim button of this request's own card (found by its title), tapped.
        var page = await NewPage("en-US", viewport: AppJourneys.Phone, touch: true);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, World.Volunteer("m1", 1));
        await Tap(Button(Group(Region(page, "Open requests in my community"), wish.Title), "Claim"));

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Claimed. Thank you!");
        await Assertions.Expect(Group(Region(page, "My claims"), wish.Title)).ToBeVisibleAsync();
        await Assertions.Expect(Group(Region(page, "Open requests in my community"), wish.Title)).ToHaveCountAsync(0);
        await Screenshot(page, "app-claim");
        Assert.Equal(World.Volunteer("m1", 1), Assert.Single((await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Claimants));
    }

    [Fact]
    public async Task A_volunteer_who_loses_the_race_is_told_why()
    {
        // The refused claim (409) is reported by Chromium; so is the live connection this page is denied.
        ExpectConsoleError("409");
        ExpectConsoleError("net::ERR_FAILED");
        ExpectConsoleError("Failed to complete negotiation");
        ExpectConsoleError("Failed to start the connection");
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: "Rice for the canteen");

        // This page gets no live updates, so the wish is still on its board when the other volunteer wins it.
        var page = await NewPage("en-US");
        await page.RouteAsync("**/hubs/**", route => route.AbortAsync());
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, World.Volunteer("m1", 2));
        var claim = Button(Group(Region(page, "Open requests in my community"), wish.Title), "Claim");
        await Assertions.Expect(claim).ToBeVisibleAsync();
        using var winner = await Fixture.Dispatch.LoginAs(World.Volunteer("m1", 1), World.Password);
        await winner.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");

        await claim.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Every place is taken.");
        await Assertions.Expect(Group(Region(page, "My claims"), wish.Title)).ToHaveCountAsync(0);
        await Screenshot(page, "app-lose-race");
        Assert.Equal(World.Volunteer("m1", 1), Assert.Single((await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Claimants));
    }

    [Theory]
    [InlineData("zh-CN", "待认领", "zh", "我的认领")]
    [InlineData("en-US", "Open", "en", "My claims")]
    public async Task The_pages_speak_the_browsers_language_and_the_switch_overrides_it(string locale, string openColumn, string name, string myClaims)
    {
        var texts = locale.StartsWith("zh", StringComparison.Ordinal) ? Zh : En;
        var app = await NewPage(locale);
        await app.GotoAsync($"{BaseAddress}app");
        await SignIn(app, World.Volunteer("m1", 1), texts);
        await Assertions.Expect(app.GetByRole(AriaRole.Region, new() { Name = myClaims, Exact = true })).ToBeVisibleAsync();
        await Screenshot(app, $"app-language-{name}");

        var page = await NewPage(locale);
        await page.GotoAsync($"{BaseAddress}console/board/m1");
        await SignIn(page, "staff-t1", texts);
        var open = page.Locator("[data-status='open']").GetByRole(AriaRole.Heading);
        await Assertions.Expect(open).ToHaveTextAsync(openColumn);
        await Screenshot(page, $"console-language-{name}");

        // The switch (named by the other language) picks that language, and the choice sticks.
        var (otherName, other) = texts == Zh ? ("English", "Open") : ("中文", "待认领");
        await Button(page, otherName).ClickAsync();
        await Assertions.Expect(open).ToHaveTextAsync(other);
        await page.ReloadAsync();
        await Assertions.Expect(open).ToHaveTextAsync(other);
    }

    [Fact]
    public async Task A_violation_of_the_policy_is_caught_so_its_absence_means_something()
    {
        var page = await NewPage("en-US");
        await page.GotoAsync($"{BaseAddress}app");
        await page.EvaluateAsync("""
            () => {
              const script = document.createElement("script");
              script.textContent = "window.injected = true";
              document.head.appendChild(script);
            }
            """);

        await Assertions.Expect(Button(page, "Sign in")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<bool?>("() => window.injected"));
        await Eventually.Get(() => Task.FromResult(Violations.Count), count => count > 0, TimeSpan.FromSeconds(10));
        Assert.Contains(Violations, v => v.Contains("script-src", StringComparison.Ordinal));
        Violations.Clear();
    }

    [Fact]
    public async Task The_orleans_dashboard_runs_under_its_policy()
    {
        using var admin = await Fixture.Dispatch.Admin();
        var token = admin.Http.DefaultRequestHeaders.Authorization!.Parameter;
        var page = await NewPage("en-US");
        await page.GotoAsync($"{BaseAddress}dashboard/?access_token={token}");
        Assert.EndsWith("/dashboard/", page.Url, StringComparison.Ordinal);

        // Its script has run once the menu is drawn; a few polls of its JSON follow.
        await Assertions.Expect(page.Locator("#menu")).Not.ToBeEmptyAsync(new() { Timeout = 20_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Screenshot(page, "dashboard");
    }
}
