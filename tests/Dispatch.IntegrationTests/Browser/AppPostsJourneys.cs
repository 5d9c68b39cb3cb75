using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Posts;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// My service posts on the phone (我的服务岗位, issue #20 item 1): a volunteer picks a post from the
/// community's list, says what they do and when (a weekly slot, China time); a slot that ends before
/// it starts is refused beside it; saved, the candidate ranking for a request of that post says so.
/// The journey keeps to a community of its own (清河社区), so that the declared slot ranks nobody
/// else's requests.
/// </summary>
public sealed class AppPostsJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private const string Community = "qinghe";

    [Theory]
    [InlineData("zh-CN", "gao-lan", "高岚")]
    [InlineData("en-US", "ma-rui", "马锐")]
    public async Task A_volunteer_declares_a_post_with_a_time_slot_and_ranks_for_it(string locale, string username, string name)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        // Posts are data, named in Chinese in either language; one a run, so that each finds its own.
        var postName = T("法律咨询", "心理疏导");
        using (var admin = await Fixture.Dispatch.Admin())
        {
            var place = await admin.Post("/api/places", new { id = Community, name = "清河社区", kind = "community", parentId = DeskWorld.Town });
            Assert.True(place.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"creating {Community}: {place.StatusCode}");
            await admin.PostOk<JsonObject>("/api/accounts", new { username, password = World.Password, displayName = name, role = "volunteer", placeId = Community }, HttpStatusCode.Created);
        }

        using (var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password))
        {
            await staff.PostOk<ServicePost>($"/api/places/{Community}/posts", new { name = postName, description = "为居民解答法律问题" }, HttpStatusCode.Created);
        }

        var page = await NewPage(locale, viewport: AppJourneys.Phone, touch: true);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, username, zh ? Zh : En);
        await page.GetByRole(AriaRole.Tab, new() { Name = T("我的", "Me") }).ClickAsync();
        await Tap(page.GetByRole(AriaRole.Link, new() { Name = T("我的服务岗位 ›", "My service posts ›") }));

        var mine = Region(page, T("我的服务岗位", "My service posts"));
        await Assertions.Expect(mine).ToContainTextAsync(T("您还没有申报服务岗位。", "You declare no service post yet."));
        await Tap(Button(mine, T("+ 再申报一个岗位", "+ Declare another post")));
        var declaration = mine.GetByRole(AriaRole.Group, new() { Name = T("申报 1", "Declaration 1") });
        await declaration.GetByLabel(T("岗位", "Post"), new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = postName });
        // The declaration is named by its post once one is chosen.
        declaration = mine.GetByRole(AriaRole.Group, new() { Name = postName, Exact = true });
        await declaration.GetByLabel(T("服务内容", "What you do"), new() { Exact = true }).FillAsync("租房合同、劳动纠纷咨询");

        // Today in China, all day: the slot covers the host's now, as the ranking reads it.
        var today = Fixture.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DayOfWeek.ToString().ToLowerInvariant();
        var slot = declaration.GetByRole(AriaRole.Group, new() { Name = T("时段 1", "Slot 1"), Exact = true });
        await slot.GetByLabel(T("星期", "Day"), new() { Exact = true }).SelectOptionAsync(today);
        // Times are typed on a 24-hour clock, as people write them ("9:00", "8.00"), and read as HH:mm.
        var from = slot.GetByLabel(T("开始", "From"), new() { Exact = true });
        var to = slot.GetByLabel(T("结束", "To"), new() { Exact = true });
        await from.FillAsync("9:00");
        await to.FillAsync("8.00");
        var save = Button(mine, T("保存申报", "Save declarations"));
        await Tap(save);
        await Assertions.Expect(slot).ToContainTextAsync(T("结束时间须晚于开始时间", "The slot must end after it starts"));
        await Assertions.Expect(mine.GetByRole(AriaRole.Alert)).ToHaveTextAsync(T("请先改正标出的内容。", "Correct the fields marked first."));
        using (var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password))
        {
            Assert.Empty((await staff.GetOk<ProviderPostsView>($"/api/volunteers/{username}/posts")).Declarations);
        }

        await from.FillAsync("00:00");
        await to.FillAsync("2359");
        await Tap(save);
        await Assertions.Expect(mine.GetByRole(AriaRole.Status)).ToHaveTextAsync(T("已保存，派单时会参考您的岗位和时段。", "Saved: dispatch takes your posts and time slots into account."));
        await Assertions.Expect(slot).Not.ToContainTextAsync(T("结束时间须晚于开始时间", "The slot must end after it starts"));

        // Shown as saved, 24-hour, whole on a 390-pixel phone (no "12:00 AM" cut to "2:00 AM").
        await Assertions.Expect(from).ToHaveValueAsync("00:00");
        await Assertions.Expect(to).ToHaveValueAsync("23:59");
        foreach (var field in new[] { from, to })
        {
            Assert.True(await field.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"), "a time field clips its text");
        }

        if (zh)
        {
            await Screenshot(page, "app-posts");
        }

        using (var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password))
        {
            var declared = (await staff.GetOk<ProviderPostsView>($"/api/volunteers/{username}/posts")).Declarations.Single();
            Assert.Equal((postName, "租房合同、劳动纠纷咨询"), (declared.PostName, declared.Description));
            var stored = declared.Slots.Single();
            Assert.Equal((today, new TimeOnly(0, 0), new TimeOnly(23, 59)), (stored.Day.ToString().ToLowerInvariant(), stored.From, stored.To));

            // A request of that post: the ranking names the post and the time slot among its reasons.
            var request = await staff.PostOk<RequestView>(
                "/api/requests",
                new { communityId = Community, kind = "errand", title = T("咨询租房合同", "Advice on a lease"), categories = new[] { postName }, urgency = "normal", points = 10, beneficiary = new { name = "周桂芳" } },
                HttpStatusCode.Created);
            var ranked = await staff.GetOk<JsonObject>($"/api/requests/{request.Id}/candidates");
            var candidate = ranked["candidates"]!.AsArray().Single(c => c!["username"]!.GetValue<string>() == username)!;
            var factors = candidate["reasons"]!.AsArray().Select(r => r!["factor"]!.GetValue<string>()).ToArray();
            Assert.Contains("posts", factors);
            Assert.Contains("timeSlots", factors);
        }

        // The page read again shows what is stored.
        await page.ReloadAsync();
        var again = Region(page, T("我的服务岗位", "My service posts")).GetByRole(AriaRole.Group, new() { Name = postName, Exact = true });
        await Assertions.Expect(again).ToBeVisibleAsync();
        await Assertions.Expect(again.GetByLabel(T("开始", "From"), new() { Exact = true })).ToHaveValueAsync("00:00");
        await Assertions.Expect(again.GetByLabel(T("结束", "To"), new() { Exact = true })).ToHaveValueAsync("23:59");
    }
}
