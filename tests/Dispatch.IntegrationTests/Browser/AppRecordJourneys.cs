using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// My record on the phone: a request I completed and staff verified with a rating shows under
/// what I did with that rating, my hours show with the star level still to reach, and the
/// community's honour list switches between this month and this year.
/// </summary>
public sealed class AppRecordJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_volunteer_reads_what_they_did_their_rating_hours_and_the_honour_list(string locale)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = $"vol-record-{locale.ToLowerInvariant()}";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.CreateAccount(volunteer, "volunteer", "m1");
        }

        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        using var phone = await Fixture.Dispatch.LoginAs(volunteer, World.Password);
        var wish = await staff.CreateRequest("m1", title: T($"给王奶奶送药 {locale}", $"Medicine for Granny Wang {locale}"));
        await phone.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await phone.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        await phone.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = T("已送到", "Delivered") });
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 5 });

        var page = await NewPage(locale, viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, volunteer, zh ? Zh : En);
        await page.GetByRole(AriaRole.Tab, new() { Name = T("我的", "Me") }).Or(page.GetByRole(AriaRole.Link, new() { Name = T("我的", "Me"), Exact = true })).First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = T("我的服务记录 ›", "My record ›") }).ClickAsync();

        var did = Region(page, T("我做过的", "What I did"));
        var done = Group(did, wish.Title);
        await Assertions.Expect(done).ToContainTextAsync(T("已核验", "Verified"));
        await Assertions.Expect(done).ToContainTextAsync(T("评分 5/5", "Rated 5 of 5"));
        await Assertions.Expect(did).ToContainTextAsync(T("收到评价：平均 5 分，共 1 条", "Ratings received: 5 on average from 1"));

        var hours = Region(page, T("我的服务时长", "My service hours"));
        await Assertions.Expect(hours).ToContainTextAsync(T("0 小时", "0 hours"));
        await Assertions.Expect(hours.GetByRole(AriaRole.Img, new() { Name = T("0 星（共 5 星）", "0 of 5 stars") })).ToBeVisibleAsync();
        await Assertions.Expect(hours).ToContainTextAsync(T("满 100 小时可升一星", "The next star at 100 hours"));

        var honours = Region(page, T("本社区光荣榜", "Honour list of my community"));
        var year = honours.GetByRole(AriaRole.Button, new() { Name = T("本年", "This year") });
        await year.ClickAsync();
        await Assertions.Expect(year).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(honours.GetByRole(AriaRole.Button, new() { Name = T("本月", "This month") })).ToHaveAttributeAsync("aria-pressed", "false");
        if (zh)
        {
            await Screenshot(page, "app-record");
        }
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_volunteer_reads_in_words_the_hours_staff_added_by_hand_and_corrected(string locale)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = $"vol-hand-{locale.ToLowerInvariant()}";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.CreateAccount(volunteer, "volunteer", "m1");
        }

        // A clinic that ended an hour ago: the volunteer could not check in, so staff add the hour by
        // hand, then correct it at the volunteer's request.
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var now = Fixture.Clock.GetUtcNow();
        var title = T($"社区义诊 {locale}", $"Community clinic {locale}");
        var clinic = await staff.PostOk<Dispatch.Activities.ActivityView>("/api/activities", new
        {
            communityId = "m1", title, places = 3, points = 5, startsAt = now.AddHours(-3), endsAt = now.AddHours(-1),
            venue = T("社区活动室", "Community hall"), organiser = "staff-t1",
        }, System.Net.HttpStatusCode.Created);
        var reason = T("手机没电，未能签到", "Phone flat, could not check in");
        var added = await staff.PostOk<Dispatch.Hours.HoursEntryView>($"/api/volunteers/{volunteer}/hours",
            new { activityId = clinic.Id, minutes = 30, reason }, System.Net.HttpStatusCode.Created);
        await staff.PostOk<Dispatch.Hours.HoursEntryView>($"/api/volunteers/{volunteer}/hours/{added.Id}/correct", new { minutes = 90, reason = T("应本人申请", "At their request") });

        var page = await NewPage(locale, viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, volunteer, zh ? Zh : En);
        await page.GetByRole(AriaRole.Tab, new() { Name = T("我的", "Me") }).Or(page.GetByRole(AriaRole.Link, new() { Name = T("我的", "Me"), Exact = true })).First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = T("我的服务记录 ›", "My record ›") }).ClickAsync();

        var served = Group(Region(page, T("我做过的", "What I did")), title);
        await Assertions.Expect(served).ToContainTextAsync(T($"补录（{reason}）", $"Added by hand ({reason})"));
        await Assertions.Expect(served).ToContainTextAsync(T("1.5 小时", "1.5 h"));
        await Assertions.Expect(served).ToContainTextAsync(T("应本人申请已更正，原为 0.5 小时", "Corrected at your request, from 0.5 h"));
        await Assertions.Expect(Region(page, T("我的服务时长", "My service hours"))).ToContainTextAsync(T("1.5 小时", "1.5 hours"));
    }
}
