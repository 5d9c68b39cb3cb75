using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Suggestions;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// A department's inbox (issue #21): staff hand a deputy's suggestion over to a department; the
/// department's account signs in to the desk, finds the notice under the bell (counted when the
/// desk opens: the hub is for members) and opens the suggestion from it.
/// </summary>
public sealed partial class NotificationsJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_department_finds_a_suggestion_handed_to_it_in_its_inbox_and_opens_it(string locale)
    {
        var departmentId = "inbox-dept-" + locale.ToLowerInvariant();
        var account = "inbox-dept-li-" + locale.ToLowerInvariant();
        var departmentName = T(locale, "县民政局", "County Civil Affairs Bureau");
        var title = T(locale, "新华社区增设老年食堂", "A canteen for the elderly in Xinhua");
        var content = T(locale, "社区老人多，独居老人吃饭难，建议增设老年食堂。", "Many old people live alone here and cannot cook: a canteen would help.");
        using (var admin = await Fixture.Dispatch.LoginAs(DeskWorld.Admin, World.Password))
        {
            await admin.PostOk<JsonObject>("/api/organisations", new { id = departmentId, name = departmentName, communityIds = new[] { DeskWorld.Community }, kind = "department" }, HttpStatusCode.Created);
            await admin.PostOk<JsonObject>("/api/accounts", new { username = account, password = World.Password, displayName = T(locale, "李建国", "Li Jianguo"), role = "staff", placeId = DeskWorld.Town }, HttpStatusCode.Created);
            await DispatchClient.Expect(await admin.Put($"/api/accounts/{account}/department", new { departmentId }), HttpStatusCode.OK);
            await DispatchClient.Expect(await admin.Put($"/api/accounts/{DeskWorld.Helper}/representative", new { title = "peoplesCongress" }), HttpStatusCode.OK);
        }

        SuggestionView filed;
        using (var deputy = await Fixture.Dispatch.LoginAs(DeskWorld.Helper, World.Password))
        {
            filed = await deputy.PostOk<SuggestionView>("/api/suggestions", new { kind = "suggestion", title, content, placeId = DeskWorld.Community }, HttpStatusCode.Created);
        }

        var deadline = Fixture.Clock.GetUtcNow().AddDays(30);
        using (var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password))
        {
            await staff.PostOk<JsonObject>("/api/suggestions/handovers", new { departmentId, suggestionIds = new[] { filed.Id }, deadline });
        }

        var page = await NewPage(locale, viewport: Desk);
        await page.GotoAsync($"{BaseAddress}console/");
        await SignIn(page, account, locale.StartsWith("zh", StringComparison.Ordinal) ? Zh : En);

        // The department's own page: nothing to board or place; the bell counts the notice.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(T(locale, "交办给本单位的建议", "Suggestions handed to us"));
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "交办建议", "Suggestions handed to us") })).ToBeVisibleAsync();
        var bell = page.GetByRole(AriaRole.Button, new() { Name = T(locale, "通知", "Notifications") });
        await Assertions.Expect(bell).ToHaveAccessibleNameAsync(T(locale, "通知，1 条未读", "Notifications, 1 unread"));
        await bell.ClickAsync();
        var panel = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, "通知", "Notifications"), Exact = true });
        var notice = panel.GetByRole(AriaRole.Listitem).Filter(new() { HasText = title });
        await Assertions.Expect(notice).ToContainTextAsync(T(locale, $"建议“{title}”已交办给本单位，请于", $"The suggestion “{title}” is handed over to your department: please answer by"));
        await Assertions.Expect(panel).Not.ToContainTextAsync(content);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-department-inbox");
        }

        await Button(notice, $"{T(locale, "查看建议", "Open the suggestion")}: {title}").ClickAsync();
        await Assertions.Expect(panel).ToBeHiddenAsync();
        var card = page.GetByRole(AriaRole.Article, new() { Name = title });
        await Assertions.Expect(card).ToContainTextAsync(content);
        await Assertions.Expect(card).ToContainTextAsync(T(locale, "人大代表", "People's congress deputy"));
        await Assertions.Expect(card).ToContainTextAsync(T(locale, "已交办", "Handed over"));
        await Assertions.Expect(card.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "答复", "Answer") })).ToBeVisibleAsync();
        await Assertions.Expect(bell).ToHaveAccessibleNameAsync(T(locale, "通知，0 条未读", "Notifications, 0 unread"));
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-department-suggestion");
        }

        using var department = await Fixture.Dispatch.LoginAs(account, World.Password);
        var inbox = await department.GetOk<InboxPage>("/api/inbox");
        var item = Assert.Single(inbox.Items);
        Assert.Equal((NoticeKind.SuggestionAssigned, filed.Id, true), (item.Kind, item.SuggestionId, item.Read));
        Assert.Equal(0, inbox.Unread);
        Assert.Equal(deadline, item.Until);
    }
}
