using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Why I earned each point: under a county's points scheme a verified wish earns its
/// <c>request.wish.normal</c> rule and a 5-star rating the <c>rating.high</c> bonus, and the phone's
/// points page names the rule and the scheme's version of each. In a county of its own, so no
/// other journey's points change.
/// </summary>
public sealed class AppPointsRulesJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Theory]
    [InlineData("zh-CN", "rules-zh", "孙丽")]
    [InlineData("en-US", "rules-en", "Sun Li")]
    public async Task A_volunteer_reads_the_rule_and_scheme_version_of_each_point_earned(string locale, string prefix, string name)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var (community, username) = ($"{prefix}-m", $"vol-{prefix}");
        using var admin = await Fixture.Dispatch.Admin();
        await admin.CreateCommunityChain(prefix, community);
        await admin.PostOk<JsonObject>("/api/accounts", new { username, password = World.Password, displayName = name, role = "volunteer", placeId = community }, HttpStatusCode.Created);
        var scheme = await admin.Put($"/api/places/{prefix}-county/points-scheme", new
        {
            rules = new object[] { new { rule = "request.wish.normal", points = 12 }, new { rule = "rating.high", points = 5 } },
        });
        await DispatchClient.Expect(scheme, HttpStatusCode.OK);

        var wish = await admin.CreateRequest(community, title: T("给王奶奶买药", $"Medicine for Grandma Wang {locale}"));
        using (var volunteer = await Fixture.Dispatch.LoginAs(username, World.Password))
        {
            await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
            await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
            await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = T("已送到", "Delivered") });
        }

        await admin.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 5 });

        var page = await NewPage(locale, viewport: AppJourneys.Phone, touch: true);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, username, zh ? Zh : En);
        await page.GetByRole(AriaRole.Tab, new() { Name = T("积分", "Points") }).Or(page.GetByRole(AriaRole.Link, new() { Name = T("积分", "Points"), Exact = true })).First.ClickAsync();

        var points = Region(page, T("我的积分", "My points"));
        await Assertions.Expect(points).ToContainTextAsync(T($"「{wish.Title}」已核验 · 完成微心愿（一般） · 积分办法第1版", $"\"{wish.Title}\" verified · Wish completed (normal) · scheme v1"));
        await Assertions.Expect(points).ToContainTextAsync(T($"「{wish.Title}」获得高评价 · 高评价奖励 · 积分办法第1版", $"\"{wish.Title}\" rated highly · high-rating bonus · scheme v1"));
        await Assertions.Expect(points).ToContainTextAsync("+12");
        await Assertions.Expect(points).ToContainTextAsync("+5");
        if (zh)
        {
            await Screenshot(page, "app-points-rules");
        }

        Assert.Equal(17, (await admin.GetOk<PointsStatement>($"/api/volunteers/{username}/points")).Balance);
    }
}
