using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The app stays current without reloading: a request published while the volunteer looks at
/// another tab shows up as a badge on the requests tab and in the list; with the network gone the
/// app says it is offline, and when the network is back it catches up with what it missed.
/// </summary>
public sealed class AppLiveJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task New_requests_arrive_live_with_a_badge_and_the_app_catches_up_after_being_offline(string locale)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = $"vol-live-{locale.ToLowerInvariant()}";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.CreateAccount(volunteer, "volunteer", "m2"); // m2: the other journeys count the open requests of m1
        }

        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var page = await NewPage(locale, viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, volunteer, zh ? Zh : En);
        var open = Region(page, T("本社区待认领需求", "Open requests in my community"));
        await Assertions.Expect(open).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab).Filter(new() { HasText = T("积分", "Points") }).ClickAsync();
        await Assertions.Expect(Region(page, T("我的积分", "My points"))).ToBeVisibleAsync();

        // Published while I look at my points: the requests tab gets a badge, the list has it.
        var first = await staff.CreateRequest("m2", title: T($"陪同就医 {locale}", $"Walk to the clinic {locale}"));
        var requestsTab = page.GetByRole(AriaRole.Tab).Filter(new() { HasText = T("需求", "Requests") });
        await Assertions.Expect(requestsTab.Locator(".van-badge")).ToBeVisibleAsync();
        await requestsTab.ClickAsync();
        await Assertions.Expect(Group(open, first.Title)).ToBeVisibleAsync();
        await Assertions.Expect(requestsTab.Locator(".van-badge")).ToHaveCountAsync(0);

        // Offline: the app says so; what is published meanwhile arrives once the network is back.
        ExpectConsoleError("ERR_INTERNET_DISCONNECTED");
        await page.Context.SetOfflineAsync(true);
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = T("网络已断开", "Offline") })).ToBeVisibleAsync();
        var second = await staff.CreateRequest("m2", title: T($"代买药品 {locale}", $"Fetch medicine {locale}"));
        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = T("网络已断开", "Offline") })).ToHaveCountAsync(0);
        await Assertions.Expect(Group(open, second.Title)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main .message")).ToHaveCountAsync(0); // no failure left over from the offline minutes
    }
}
