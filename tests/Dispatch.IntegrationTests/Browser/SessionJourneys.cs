using System.Net;
using System.Net.Http.Json;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Signing in, signing out and staying signed in past the access token's fifteen minutes, on both
/// pages (they share the code in common.js, so the token refresh is driven once, on the app). The
/// desk keeps its tokens in sessionStorage; the app its access token in memory and its refresh
/// token in an HttpOnly cookie (<see cref="RefreshTokenOf"/> reads either).
/// </summary>
public sealed class SessionJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Theory]
    [InlineData("app", "vol-m1-10")]
    [InlineData("console", "staff-t1")]
    public async Task A_wrong_password_is_refused_with_a_message_and_the_right_one_signs_in(string path, string username)
    {
        ExpectConsoleError("401"); // Chromium reports the refused sign-in as a failed resource load.
        var page = await NewPage("en-US");
        await page.GotoAsync($"{BaseAddress}{path}");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Username", Exact = true }).FillAsync(username);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("not-the-password");
        await Button(page, "Sign in").ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The username or password is not correct.");
        await Assertions.Expect(Button(page, "Sign out")).ToBeHiddenAsync();
        await Screenshot(page, $"{path}-sign-in-refused");

        await SignIn(page, username);
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Username", Exact = true })).ToBeHiddenAsync();

        // The server issued the page a token for that account (the app's, in memory, is bought again with its cookie).
        using var refresher = Fixture.Dispatch.Anonymous();
        var token = path == "app"
            ? (await refresher.PostOk<System.Text.Json.Nodes.JsonObject>("/api/auth/refresh", new { refreshToken = await RefreshTokenOf(page, path) }))["accessToken"]!.GetValue<string>()
            : await page.EvaluateAsync<string>("() => sessionStorage.getItem('dispatch.token')");
        using var client = Fixture.Dispatch.Anonymous();
        client.Http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var me = await client.GetOk<System.Text.Json.Nodes.JsonObject>("/api/accounts/me");
        Assert.Equal(username, me["username"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("app", "vol-m1-9")]
    [InlineData("console", "staff-t1")]
    public async Task Signing_out_shows_the_form_and_the_server_forgets_the_session(string path, string username)
    {
        var page = await NewPage("en-US");
        await page.GotoAsync($"{BaseAddress}{path}");

        // Signed out while its live connection still negotiates, a page logs the refused negotiation:
        // sign out once the hub has answered the page's first call (its Watch), as a person would.
        var live = new TaskCompletionSource();
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            if (frame.Text?.Contains("\"type\":3", StringComparison.Ordinal) == true)
            {
                live.TrySetResult();
            }
        };
        await SignIn(page, username);
        await live.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var refreshToken = await RefreshTokenOf(page, path);
        Assert.False(string.IsNullOrEmpty(refreshToken));

        await Button(page, "Sign out").ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(Button(page, "Sign out")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('dispatch.token')"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == RefreshCookie.Name);
        await Screenshot(page, $"{path}-sign-out");

        // The page revoked its refresh token: it no longer buys a session.
        using var anonymous = Fixture.Dispatch.Anonymous();
        var refused = await anonymous.Http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken }, DispatchClient.Json);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_volunteer_acts_after_the_access_token_expired_and_the_page_refreshes_it()
    {
        var volunteer = World.Volunteer("m1", 8);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: "Radio for Grandpa Hu");

        // The browser's clock starts at the host's, so that the two agree on when the token expires.
        var page = await NewPage("en-US", p => p.Clock.InstallAsync(new() { TimeDate = Fixture.Clock.GetUtcNow().UtcDateTime }));
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, volunteer);
        var claim = Button(Group(page.GetByRole(AriaRole.Region, new() { Name = "Open requests in my community" }), wish.Title), "Claim");
        await Assertions.Expect(claim).ToBeVisibleAsync();
        var before = await RefreshTokenOf(page, "app");

        // Sixteen minutes later on both clocks: the access token is dead on the host. SetSystemTime moves
        // the page's Date without firing its timers, so the live connection's timeouts are not tripped.
        var refreshed = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/auth/refresh", StringComparison.Ordinal));
        // The page's clock first: once the host's moves, what it does live (other journeys' requests
        // climbing in this community) makes the page read again, and it must know its token is dead.
        var later = Fixture.Clock.GetUtcNow().AddMinutes(16);
        await page.Clock.SetSystemTimeAsync(later.UtcDateTime);
        Fixture.Clock.Advance(later - Fixture.Clock.GetUtcNow());
        await claim.ClickAsync();

        Assert.Equal(200, (await refreshed).Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Claimed. Thank you!");
        await Assertions.Expect(Group(page.GetByRole(AriaRole.Region, new() { Name = "My claims" }), wish.Title)).ToBeVisibleAsync();
        await Screenshot(page, "app-token-refresh");

        // The claim was made with the new token, and the old refresh token was spent on it. (The
        // test's own staff token died with the clock move: sign in again to read.)
        using var reader = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var stored = await reader.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(volunteer, Assert.Single(stored.Claimants));
        Assert.NotEqual(before, await RefreshTokenOf(page, "app"));

        // Within the retry window (Dispatch:Auth:RefreshRetryWindow, 10 s) a lost answer may be asked
        // for again; past it, the spent token buys nothing.
        Fixture.Clock.Advance(TimeSpan.FromSeconds(11));
        using var anonymous = Fixture.Dispatch.Anonymous();
        var spent = await anonymous.Http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = before }, DispatchClient.Json);
        Assert.Equal(HttpStatusCode.Unauthorized, spent.StatusCode);
    }

    /// <summary>
    /// The page's refresh token: the desk's in sessionStorage; the app's in its cookie, which must be
    /// HttpOnly, Secure, SameSite=Strict and sent to the token routes only.
    /// </summary>
    internal static async Task<string> RefreshTokenOf(IPage page, string path)
    {
        if (path != "app")
        {
            return await page.EvaluateAsync<string>("() => sessionStorage.getItem('dispatch.refresh')");
        }

        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('dispatch.refresh')"));
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == RefreshCookie.Name);
        Assert.True(cookie is { HttpOnly: true, Secure: true, SameSite: SameSiteAttribute.Strict, Path: RefreshCookie.Path }, $"{cookie.Name}: {cookie.Path} {cookie.SameSite}");
        return Uri.UnescapeDataString(cookie.Value);
    }
}
