using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// What staff decide reaches the open app without a reload: an offer made at the desk (here through
/// the API) appears with a badge and a countdown, and is accepted with a tap; the verification of
/// the completed work appears on the request's page with the points it earned. On a phone: 390×844, touch.
/// </summary>
public sealed class AppLiveOfferJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_live_offer_is_accepted_and_the_verification_arrives_with_the_points(string locale)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = $"vol-offered-{locale.ToLowerInvariant()}";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.CreateAccount(volunteer, "volunteer", "m2", World.Password); // m2: the other journeys count the open requests of m1
        }

        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m2", title: T($"帮张阿姨修水龙头 {locale}", $"Fix Aunt Zhang's tap {locale}"));

        var page = await NewPage(locale, viewport: AppJourneys.Phone, touch: true);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, volunteer, zh ? Zh : En);
        await Assertions.Expect(Group(Region(page, T("本社区待认领需求", "Open requests in my community")), wish.Title)).ToBeVisibleAsync();

        // Offered at the desk while the app is open: a badge on the offers tab, no reload.
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer });
        var offersTab = page.GetByRole(AriaRole.Tab).Filter(new() { HasText = T("派单", "Offers") });
        await Assertions.Expect(offersTab.Locator(".van-badge")).ToHaveTextAsync("1");
        await Tap(offersTab);

        var offer = Group(Region(page, T("派给我的", "Offered to me")), wish.Title);
        await Assertions.Expect(offer.GetByRole(AriaRole.Timer)).ToContainTextAsync(new System.Text.RegularExpressions.Regex(T("请在 .*\\d.* 内回复", "Answer within .*\\d")));
        if (zh)
        {
            await Screenshot(page, "app-live-offer");
        }

        await Tap(Button(offer, T("接受", "Accept")));
        await Assertions.Expect(offer).ToHaveCountAsync(0);
        await Assertions.Expect(offersTab.Locator(".van-badge")).ToHaveCountAsync(0);

        // Started and completed without the beneficiary's code: it waits for staff.
        await Tap(page.GetByRole(AriaRole.Tab).Filter(new() { HasText = T("需求", "Requests") }));
        await Tap(Group(Region(page, T("我的认领", "My claims")), wish.Title));
        await Tap(Button(page, T("开始服务", "Start")));
        await Tap(Button(page, T("完成服务", "Complete")));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T("已完成，等待工作人员核验。", "Completed: staff will verify it."));

        // Verified at the desk while the page is open: the result and the points, without a reload.
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 5, comment = T("修得很好", "Well done") });
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T($"工作人员刚刚核验通过：{wish.Points} 积分已到账。", $"Verified by staff just now: {wish.Points} points are yours."));
        await Assertions.Expect(Region(page, T("详情", "Details"))).ToContainTextAsync(T("已核实", "Verified"));
        if (zh)
        {
            await Screenshot(page, "app-live-verified");
        }

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Verified, stored.Status);
        Assert.Contains(await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history"), h => h.Action == RequestAction.OfferAccepted && h.Actor == volunteer);
        Assert.Equal(wish.Points, (await staff.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points")).Balance);
    }
}
