using System.Text.RegularExpressions;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The inbox in the browser, in Chinese and English: staff at the desk see an escalation arrive in
/// the bell live and open it; a volunteer on the phone sees an offer arrive on the tab bar's badge,
/// reads it and goes to the request. Controls are found by their accessible names.
/// </summary>
public sealed partial class NotificationsJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private static readonly ViewportSize Desk = new() { Width = 1366, Height = 768 };

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_see_an_escalation_arrive_in_the_bell_and_mark_it_read(string locale)
    {
        using var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password);
        await staff.PostOk<Dispatch.WebHost.Inbox.InboxReadAll>("/api/inbox/read-all");
        var page = await NewPage(locale, viewport: Desk);
        await page.GotoAsync($"{BaseAddress}console/board/{DeskWorld.Town}");
        await SignIn(page, DeskWorld.Staff, locale.StartsWith("zh", StringComparison.Ordinal) ? Zh : En);
        var bell = page.GetByRole(AriaRole.Button, new() { Name = T(locale, "通知", "Notifications") });
        await Assertions.Expect(bell).ToHaveAccessibleNameAsync(T(locale, "通知，0 条未读", "Notifications, 0 unread"));

        // Two urgent errands nobody claims climb to the town, whose staff the desk's user is.
        var title = T(locale, "为独居老人修水管", "Fix the water pipe of an old woman living alone");
        var second = T(locale, "帮行动不便的老人取药", "Fetch medicine for a man who cannot walk");
        var errand = await Publish(staff, title);
        var other = await Publish(staff, second);
        Fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        foreach (var id in new[] { errand.Id, other.Id })
        {
            await Eventually.Get(() => staff.GetOk<RequestView>($"/api/requests/{id}"), r => r.EscalationLevel >= 1);
        }

        // It arrives live: the bell counts it.
        await Assertions.Expect(bell).Not.ToHaveAccessibleNameAsync(T(locale, "通知，0 条未读", "Notifications, 0 unread"));
        await bell.ClickAsync();
        var panel = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, "通知", "Notifications"), Exact = true });
        var notice = panel.GetByRole(AriaRole.Listitem).Filter(new() { HasText = title });
        await Assertions.Expect(notice).ToContainTextAsync(T(locale, $"“{title}”已逐级上报至本级（第 1 级）", $"“{title}” climbed to your place (level 1)"));
        await Assertions.Expect(panel).Not.ToContainTextAsync("13900001111");
        if (locale == "zh-CN")
        {
            // The toasts of the arrivals fade after five seconds; the photograph shows the list.
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0, new() { Timeout = 15_000 });
            await Screenshot(page, "desk-inbox");
        }

        await Button(notice, $"{T(locale, "标为已读", "Mark read")}: {title}").ClickAsync();
        await Assertions.Expect(notice).ToContainTextAsync(T(locale, "已读", "Read"));
        await Assertions.Expect(panel.GetByRole(AriaRole.Listitem).Filter(new() { HasText = second })).ToContainTextAsync(T(locale, "标为已读", "Mark read"));
        await Button(panel, T(locale, "全部标为已读", "Mark all read")).ClickAsync();
        await Assertions.Expect(bell).ToHaveAccessibleNameAsync(T(locale, "通知，0 条未读", "Notifications, 0 unread"));

        var stored = await staff.GetOk<InboxPage>("/api/inbox?pageSize=100");
        Assert.Equal(0, stored.Unread);
        Assert.Contains(stored.Items, i => i.RequestId == errand.Id && i.Kind == NoticeKind.Escalated && i.Read);

        // Nothing left open on the town's board the other desk journeys read.
        foreach (var id in new[] { errand.Id, other.Id })
        {
            await staff.PostOk<RequestView>($"/api/requests/{id}/cancel", new { reason = "Journey done" });
        }
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_volunteer_sees_an_offer_arrive_on_the_tab_bar_and_opens_it(string locale)
    {
        var volunteer = $"vol-inbox-{locale.ToLowerInvariant()}";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.CreateAccount(volunteer, "volunteer", "m1");
        }

        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var page = await NewPage(locale, viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, volunteer, locale.StartsWith("zh", StringComparison.Ordinal) ? Zh : En);
        var tab = page.GetByRole(AriaRole.Tab, new() { Name = T(locale, "通知", "Notifications") });
        await Assertions.Expect(tab).ToHaveAccessibleNameAsync(T(locale, "通知，0 条未读", "Notifications, 0 unread"));

        var title = T(locale, "给留守儿童小红送书包", "A school bag for Xiao Hong");
        var wish = await staff.CreateRequest("m1", title: title);
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer });

        // The offer arrives live: the tab's badge shows it.
        await Assertions.Expect(tab).ToHaveAccessibleNameAsync(T(locale, "通知，1 条未读", "Notifications, 1 unread"));
        await Assertions.Expect(tab).ToContainTextAsync("1");

        // The app acknowledges the offer its live connection brought: the answer time now counts from its arrival on the phone.
        var reached = await Eventually.Get(() => staff.GetOk<RequestView>($"/api/requests/{wish.Id}"), r => r.Offer?.ReachedAt is not null);
        Assert.True(reached.Offer!.ExpiresAt >= reached.Offer.ReachedAt!.Value + reached.Policy.OfferTimeout);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        Assert.Equal((RequestAction.OfferReached, volunteer), (history[^1].Action, history[^1].Actor));

        await tab.ClickAsync();
        var sheet = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, "通知", "Notifications"), Exact = true });
        var notice = sheet.GetByText(new Regex(Regex.Escape(T(locale, $"“{title}”已派给您，请在", $"“{title}” is offered to you, until"))));
        await Assertions.Expect(notice).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "app-inbox");
        }

        await notice.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/app/requests/{wish.Id}"));
        using var phone = await Fixture.Dispatch.LoginAs(volunteer, World.Password);
        var inbox = await phone.GetOk<InboxPage>("/api/inbox");
        Assert.Equal(0, inbox.Unread);
        Assert.Equal((NoticeKind.Offered, wish.Id), (inbox.Items[0].Kind, inbox.Items[0].RequestId));

        // Nothing left open in the community the other phone journeys share.
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/cancel", new { reason = "Journey done" });
    }

    /// <summary>An urgent errand in the community: unclaimed for two seconds (see the fixture), it climbs to the town.</summary>
    private static Task<RequestView> Publish(DispatchClient staff, string title) =>
        staff.PostOk<RequestView>(
            "/api/requests",
            new
            {
                communityId = DeskWorld.Community, kind = "errand", title, description = "厨房漏水。", categories = new[] { "维修" },
                urgency = "urgent", points = 10, beneficiary = new { name = "吴秀兰", phone = "13900001111", address = "新华社区3号楼2单元" },
            },
            System.Net.HttpStatusCode.Created);

    private static string T(string locale, string zh, string en) => locale.StartsWith("zh", StringComparison.Ordinal) ? zh : en;
}
