using System.Net;
using Dispatch.Hours;
using Dispatch.IntegrationTests.Support;
using Dispatch.Posts;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The resource list and the hours at verification (issue #20 items 1 and 4): staff keep the
/// community's service posts (a name used twice is refused beside the field), and confirm the
/// service time when they verify a completion: a time longer than the claimant served is refused
/// beside the field, an accepted one shows as the claimant's hours.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_keep_the_communitys_service_posts(string locale)
    {
        // Posts are data, named in Chinese in either language; one a run, so that each finds its own.
        var postName = T(locale, "法律咨询", "家电维修");
        var description = T(locale, "租房、劳动合同等法律问题解答", "修理电视、洗衣机等小家电");
        var page = await SignedIn(locale, $"console/board/{DeskWorld.Community}");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "服务岗位", "Service posts") }).ClickAsync();
        var heading = T(locale, $"{DeskWorld.CommunityName}服务岗位", $"Service posts of {DeskWorld.CommunityName}");
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(heading);
        var section = page.GetByRole(AriaRole.Region, new() { Name = heading, Exact = true });

        await page.GetByLabel(T(locale, "岗位名称", "Post name"), new() { Exact = true }).FillAsync(postName);
        await page.GetByLabel(T(locale, "岗位说明", "What the post is for"), new() { Exact = true }).FillAsync(description);
        await Button(page, T(locale, "添加岗位", "Add post")).ClickAsync();
        await Assertions.Expect(section.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"已添加岗位“{postName}”。", $"Post “{postName}” added."));
        var list = section.GetByRole(AriaRole.Table, new() { Name = T(locale, "服务岗位清单", "Service posts"), Exact = true });
        var row = list.GetByRole(AriaRole.Row).Filter(new() { HasText = postName });
        await Assertions.Expect(row).ToContainTextAsync(description);
        await Assertions.Expect(row).ToContainTextAsync(DeskWorld.StaffName);
        await Assertions.Expect(row).Not.ToContainTextAsync(DeskWorld.Staff);

        // The same name again (whatever the case) is refused beside the name, and nothing is added.
        ExpectConsoleError("409"); // Refused on purpose: Chromium logs the 409.
        await page.GetByLabel(T(locale, "岗位名称", "Post name"), new() { Exact = true }).FillAsync(postName);
        await Button(page, T(locale, "添加岗位", "Add post")).ClickAsync();
        await Assertions.Expect(section.Locator(".el-form-item").Filter(new() { HasText = T(locale, "岗位名称", "Post name") }))
            .ToContainTextAsync(T(locale, "本社区已有同名岗位。", "The community already has a post with this name."));
        await Assertions.Expect(list.GetByRole(AriaRole.Row).Filter(new() { HasText = postName })).ToHaveCountAsync(1);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-posts");
        }

        using var staff = await Staff();
        var stored = await staff.GetOk<CommunityPostsView>($"/api/places/{DeskWorld.Community}/posts");
        Assert.Equal(description, stored.Posts.Single(p => p.Name == postName).Description);

        // Taken off the list again: the post is gone from the page and from the community.
        await Button(row, T(locale, $"删除岗位：{postName}", $"Remove the post {postName}")).ClickAsync();
        await Assertions.Expect(section.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"已删除岗位“{postName}”。", $"Post “{postName}” removed."));
        await Assertions.Expect(list.GetByRole(AriaRole.Row).Filter(new() { HasText = postName })).ToHaveCountAsync(0);
        Assert.DoesNotContain((await staff.GetOk<CommunityPostsView>($"/api/places/{DeskWorld.Community}/posts")).Posts, p => p.Name == postName);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_confirm_the_service_time_when_they_verify_and_the_hours_show(string locale)
    {
        RequestView wish;
        using (var staff = await Staff())
        using (var volunteer = await Fixture.Dispatch.LoginAs(DeskWorld.Finisher, World.Password))
        {
            wish = await Publish(staff, T(locale, "陪王奶奶去社区医院", "Walk Grandma Wang to the clinic"), "wish", "normal", "陪护");
            await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
            await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        }

        // An hour and a half of service (the clock moves), then the completion.
        Fixture.Clock.Advance(TimeSpan.FromMinutes(95));
        using (var back = await Fixture.Dispatch.LoginAs(DeskWorld.Finisher, World.Password))
        {
            await back.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "已陪同看病并送回家" });
        }

        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}?request={wish.Id}");
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = wish.Title, Exact = true });
        await drawer.GetByRole(AriaRole.Tab, new() { Name = T(locale, "核实", "Verification") }).ClickAsync();
        var minutes = drawer.GetByLabel(T(locale, "服务时长（分钟）", "Service time (minutes)"), new() { Exact = true });
        var field = drawer.Locator(".el-form-item").Filter(new() { HasText = T(locale, "服务时长（分钟）", "Service time (minutes)") });
        await Assertions.Expect(field).ToContainTextAsync(T(locale, "从认领到完成约 95 分钟", "took about 95 minutes"));

        // Not a number of minutes a day holds: said beside the field, nothing sent.
        await minutes.FillAsync("2000");
        await Button(drawer, T(locale, "核实通过", "Approve")).ClickAsync();
        await Assertions.Expect(field).ToContainTextAsync(T(locale, "请填写 1 至 1440 之间的整数分钟。", "Enter whole minutes from 1 to 1440."));

        // Longer than the claimant served: the server refuses it, beside the field, and nothing changes.
        ExpectConsoleError("400"); // Refused on purpose: Chromium logs the 400.
        await minutes.FillAsync("500");
        await Button(drawer, T(locale, "核实通过", "Approve")).ClickAsync();
        await Assertions.Expect(field).ToContainTextAsync(T(locale, "最多 95 分钟", "at most 95 minutes"));
        using (var staff = await Staff())
        {
            Assert.Equal(RequestStatus.Completed, (await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Status);
        }

        await minutes.FillAsync("90");
        await Button(drawer, T(locale, "核实通过", "Approve")).ClickAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "已核实，认领人已获得积分。", "Verified. The claimants are credited."));
        var credited = drawer.GetByRole(AriaRole.Region, new() { Name = T(locale, "已记录的服务时长", "Service hours recorded") });
        await Assertions.Expect(credited).ToContainTextAsync(T(locale, "刘洋：本次 90 分钟，累计", "刘洋: 90 minutes for this request,"));
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-verify-hours");
        }

        using (var staff = await Staff())
        {
            var hours = await staff.GetOk<VolunteerHoursView>($"/api/volunteers/{DeskWorld.Finisher}/hours");
            var entry = hours.Entries.Single(e => e.ReferenceId == wish.Id);
            Assert.Equal((90, HoursSource.Request), (entry.Minutes, entry.Source));
        }
    }
}
