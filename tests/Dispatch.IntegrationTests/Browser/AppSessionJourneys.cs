using System.Net;
using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Staying signed in on the phone: the app keeps its refresh token in an HttpOnly cookie, so a
/// reload or a new tab (closing the old one) opens signed in, with nothing in the page's storage to
/// steal; signing out on every device ends the session of the other phone too.
/// </summary>
public sealed class AppSessionJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private sealed record Words(string OpenRequests, string Me, string SignOutEverywhere, string Confirm, string SignedOut, string SignIn);

    private static readonly Words English = new("Open requests in my community", "Me", "Sign out on every device", "Yes, sign out everywhere", "Signed out on every device.", "Sign in");

    private static readonly Words Chinese = new("本社区待认领需求", "我的", "在所有设备上退出登录", "确定，全部退出", "已在所有设备上退出登录。", "登录");

    [Theory]
    [InlineData("zh-CN", DeskWorld.Runner)]
    [InlineData("en-US", DeskWorld.Finisher)]
    public async Task A_volunteer_stays_signed_in_on_the_phone_and_signs_out_on_every_device(string locale, string volunteer)
    {
        // The other phone's cookie is refused once it was revoked: Chromium logs that 401.
        ExpectConsoleError("401");
        var (words, texts) = locale == "zh-CN" ? (Chinese, Zh) : (English, En);

        var phone = await NewPage(locale, viewport: AppJourneys.Phone);
        await phone.GotoAsync($"{BaseAddress}app");
        await SignIn(phone, volunteer, texts);
        await Assertions.Expect(Region(phone, words.OpenRequests)).ToBeVisibleAsync();
        var first = await SessionJourneys.RefreshTokenOf(phone, "app");

        // Reloaded, the page has no access token (it was in memory): the cookie buys one, silently.
        await phone.ReloadAsync();
        await Assertions.Expect(Region(phone, words.OpenRequests)).ToBeVisibleAsync();
        Assert.NotEqual(first, await SessionJourneys.RefreshTokenOf(phone, "app"));

        // The tab closed and the app opened again from the home screen: a new tab, still signed in.
        var reopened = await phone.Context.NewPageAsync();
        reopened.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("401", StringComparison.Ordinal))
            {
                Errors.Enqueue($"{reopened.Url}: {message.Text}");
            }
        };
        await phone.CloseAsync();
        await reopened.GotoAsync($"{BaseAddress}app");
        await Assertions.Expect(Region(reopened, words.OpenRequests)).ToBeVisibleAsync();
        Assert.Null(await reopened.EvaluateAsync<string?>("() => sessionStorage.getItem('dispatch.token') ?? localStorage.getItem('dispatch.token')"));

        // The same volunteer on a second phone.
        var other = await NewPage(locale, viewport: AppJourneys.Phone);
        await other.GotoAsync($"{BaseAddress}app");
        await SignIn(other, volunteer, texts);
        var otherToken = await SessionJourneys.RefreshTokenOf(other, "app");

        // The tab bar\'s tab, not a request card whose title happens to hold the word.
        await reopened.GetByRole(AriaRole.Tab, new() { Name = words.Me }).ClickAsync();
        await Button(reopened, words.SignOutEverywhere).ClickAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(reopened, "app-me");
        }

        await Button(reopened, words.Confirm).ClickAsync();
        await Assertions.Expect(reopened.GetByRole(AriaRole.Status)).ToHaveTextAsync(words.SignedOut);
        await Assertions.Expect(Button(reopened, words.SignIn)).ToBeVisibleAsync();
        Assert.DoesNotContain(await reopened.Context.CookiesAsync(), c => c.Name == WebHost.Auth.RefreshCookie.Name);

        // The other phone's session is over too: reopened, it asks to sign in; its token buys nothing.
        await other.ReloadAsync();
        await Assertions.Expect(Button(other, words.SignIn)).ToBeVisibleAsync();
        await Assertions.Expect(Region(other, words.OpenRequests)).ToHaveCountAsync(0);
        using var anonymous = Fixture.Dispatch.Anonymous();
        await DispatchClient.Problem(await anonymous.Post("/api/auth/refresh", new { refreshToken = otherToken }), HttpStatusCode.Unauthorized);
    }
}
