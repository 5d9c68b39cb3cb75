using System.Net;
using Dispatch.Activities;
using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Staff follow an activity at the desk: in the request's drawer, the event's time and venue, the
/// check-in code to show at the venue while it is underway, and who signed up, waits and checked in.
/// </summary>
public sealed class ActivityJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private static readonly ViewportSize Desk = new() { Width = 1366, Height = 768 };

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_see_an_activitys_check_in_code_and_attendance_in_the_request_drawer(string locale)
    {
        var zh = locale.StartsWith("zh", StringComparison.Ordinal);
        using var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password);
        using var zhang = await Fixture.Dispatch.LoginAs(DeskWorld.Runner, World.Password);
        using var liu = await Fixture.Dispatch.LoginAs(DeskWorld.Finisher, World.Password);
        using var wang = await Fixture.Dispatch.LoginAs(DeskWorld.Helper, World.Password);
        var now = Fixture.Clock.GetUtcNow();
        var title = zh ? "重阳节义诊" : "Free clinic for the Double Ninth";
        var clinic = await staff.PostOk<ActivityView>("/api/activities", new
        {
            communityId = DeskWorld.Community,
            title,
            description = zh ? "量血压、测血糖，为老人建健康档案。" : "Blood pressure and sugar checks for the elderly.",
            categories = new[] { "义诊" },
            places = 2,
            points = 5,
            startsAt = now.AddMinutes(-5),
            endsAt = now.AddHours(2),
            venue = zh ? "新华社区卫生服务站" : "Xinhua community health station",
            organiser = DeskWorld.Staff,
        }, HttpStatusCode.Created);
        await zhang.PostOk<ActivityView>($"/api/activities/{clinic.Id}/signup");
        await liu.PostOk<ActivityView>($"/api/activities/{clinic.Id}/signup");
        await wang.PostOk<ActivityView>($"/api/activities/{clinic.Id}/signup");
        var code = await staff.GetOk<CheckInCodeView>($"/api/activities/{clinic.Id}/check-in-code");
        await zhang.PostOk<ActivityView>($"/api/activities/{clinic.Id}/check-in", new { code = code.Code });

        var page = await NewPage(locale, viewport: Desk);
        await page.GotoAsync($"{BaseAddress}console/board/{DeskWorld.Town}");
        await SignIn(page, DeskWorld.Staff, zh ? Zh : En);
        await page.Locator("[data-status='open']").GetByRole(AriaRole.Button, new() { Name = title, Exact = true }).ClickAsync();
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = title, Exact = true });
        await drawer.GetByRole(AriaRole.Button, new() { Name = zh ? "查看活动安排与出勤" : "Show the activity and attendance", Exact = true }).ClickAsync();
        var panel = drawer.GetByRole(AriaRole.Region, new() { Name = zh ? "活动安排" : "Activity", Exact = true });
        await Assertions.Expect(panel).ToBeVisibleAsync();

        await Assertions.Expect(panel).ToContainTextAsync(zh ? "新华社区卫生服务站" : "Xinhua community health station");
        await Assertions.Expect(panel).ToContainTextAsync(zh ? "进行中" : "Underway");
        await Assertions.Expect(panel.GetByLabel(zh ? "活动签到码" : "Activity check-in code", new() { Exact = true })).ToHaveTextAsync(code.Code);
        var rows = panel.Locator(".el-table__body tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync(zh ? "已签到" : "Checked in");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync(zh ? "已报名" : "Signed up");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync(zh ? "候补（第1位）" : "Waiting (#1)");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync(DeskWorld.Runner);
        await Assertions.Expect(panel).ToContainTextAsync(zh ? "2 / 2（候补 1）" : "2 of 2 (1 waiting)");
        await Assertions.Expect(panel).ToContainTextAsync(zh ? "参加人次" : "Person-times");
        await panel.ScrollIntoViewIfNeededAsync();
        if (zh)
        {
            await Screenshot(page, "desk-activity");
        }
    }
}
