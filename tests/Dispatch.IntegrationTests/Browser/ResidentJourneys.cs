using System.Net;
using System.Text.Json.Nodes;
using Dispatch.Intake;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Residents' needs (群众诉求) in the desk at 1366×768, in Chinese and English: staff find what
/// residents filed, accept one as a request, decline another with a reason the resident's tracking
/// shows, and bring up the QR code of the community's public form.
/// </summary>
public sealed class ResidentJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private static readonly ViewportSize Desk = new() { Width = 1366, Height = 768 };

    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_accept_one_residents_need_and_decline_another_with_a_reason(string locale)
    {
        var accepted = T(locale, "帮我预约社区医院体检", "Book me a health check");
        var declined = T(locale, "楼道灯坏了", "The stairwell light is broken");
        await File(accepted, "help", "book");
        var declinedCode = await File(declined, "grievance", null);

        var page = await NewPage(locale, viewport: Desk);
        await page.GotoAsync($"{BaseAddress}console/signin");
        await page.EvaluateAsync($"() => sessionStorage.setItem('dispatch.desk.place', '{DeskWorld.Community}')");
        await page.GotoAsync($"{BaseAddress}console/intake");
        await SignIn(page, DeskWorld.Staff, locale.StartsWith("zh", StringComparison.Ordinal) ? Zh : En);
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "群众诉求", "Residents' needs") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(T(locale, "群众诉求 · ", "Residents' needs · ") + DeskWorld.CommunityName);

        // Accept: the request is published with the resident as its beneficiary.
        var row = Group(page.Locator("body"), accepted);
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Button(page, $"{T(locale, "受理", "Accept")} {accepted}").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, "受理为需求", "Accept as a request") });
        await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "标题", "Title") })).ToHaveValueAsync(accepted);
        await dialog.GetByRole(AriaRole.Radio, new() { Name = T(locale, "紧急", "Urgent"), Exact = true }).CheckAsync(new() { Force = true });
        await Button(dialog, T(locale, "受理并发布", "Accept and publish")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(T(locale, "已受理：", "Accepted: ") + accepted);
        await Assertions.Expect(row).ToHaveCountAsync(0);

        // Decline, with the reason the resident is shown.
        await Button(page, $"{T(locale, "不予受理", "Decline")} {declined}").ClickAsync();
        var reasonDialog = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, "不予受理的理由", "Why it is declined") });
        await Button(reasonDialog, T(locale, "不予受理", "Decline")).ClickAsync();
        await Assertions.Expect(reasonDialog).ToContainTextAsync(T(locale, "请填写理由。", "Give a reason."));
        await reasonDialog.GetByRole(AriaRole.Textbox).FillAsync(T(locale, "请联系物业公司报修", "Please report it to the property company"));
        await Button(reasonDialog, T(locale, "不予受理", "Decline")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(declined);
        await Assertions.Expect(reasonDialog).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Radio, new() { Name = T(locale, "已受理", "Accepted"), Exact = true }).CheckAsync(new() { Force = true });
        await Assertions.Expect(Group(page.Locator("body"), accepted)).ToBeVisibleAsync();

        // The public form's link, as a QR code for the notice board.
        await Button(page, T(locale, "显示二维码", "Show QR code")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = T(locale, $"{DeskWorld.CommunityName}居民诉求二维码", $"QR code for residents of {DeskWorld.CommunityName}") })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"{BaseAddress}r/{DeskWorld.Community}" })).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-intake");
        }

        using var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password);
        var items = (await staff.GetOk<IntakePage>($"/api/places/{DeskWorld.Community}/intake?pageSize=200")).Items;
        var request = await staff.GetOk<RequestView>($"/api/requests/{items.Single(i => i.Title == accepted).RequestId}");
        Assert.Equal((RequestStatus.Open, Urgency.Urgent, "吴秀兰"), (request.Status, request.Urgency, request.Beneficiary!.Name));

        using var anonymous = Fixture.Dispatch.Anonymous();
        var tracked = await anonymous.GetOk<JsonObject>($"/api/track/{declinedCode}");
        Assert.Equal(("declined", T(locale, "请联系物业公司报修", "Please report it to the property company")), (tracked["status"]!.GetValue<string>(), tracked["reason"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_merge_a_residents_need_into_an_open_request_and_the_tracking_follows_it(string locale)
    {
        var target = T(locale, "3号楼楼道堆放杂物清理", "Clear the junk in the stairwell of building 3");
        var filed = T(locale, "楼道杂物堵住通道", "Junk blocks the stairwell");
        using var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password);
        var request = await staff.CreateRequest(DeskWorld.Community, title: target);
        var code = await File(filed, "help", "handle");

        var page = await NewPage(locale, viewport: Desk);
        await page.GotoAsync($"{BaseAddress}console/signin");
        await page.EvaluateAsync($"() => sessionStorage.setItem('dispatch.desk.place', '{DeskWorld.Community}')");
        await page.GotoAsync($"{BaseAddress}console/intake");
        await SignIn(page, DeskWorld.Staff, locale.StartsWith("zh", StringComparison.Ordinal) ? Zh : En);
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "群众诉求", "Residents' needs") }).ClickAsync();
        var row = Group(page.Locator("body"), filed);
        await Assertions.Expect(row).ToBeVisibleAsync();

        // Merge: nothing chosen is refused beside the choice; then the open request is chosen.
        await Button(page, $"{T(locale, "合并", "Merge")} {filed}").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, "合并到已有需求", "Merge into a request") });
        await Button(dialog, T(locale, "合并", "Merge")).ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync(T(locale, "请选择要合并到的需求。", "Choose the request to merge into."));
        if (locale == "zh-CN")
        {
            // The error's entrance transition finished, so the picture shows it whole.
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "desk-intake-merge.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
        }

        await dialog.GetByRole(AriaRole.Radio, new() { Name = target, Exact = true }).CheckAsync(new() { Force = true });

        await Button(dialog, T(locale, "合并", "Merge")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(T(locale, "已合并：", "Merged: ") + filed);
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Radio, new() { Name = T(locale, "已合并", "Merged"), Exact = true }).CheckAsync(new() { Force = true });
        await Assertions.Expect(Group(page.Locator("body"), filed)).ToBeVisibleAsync();

        // The resident's tracking page follows the request the need was merged into, in their language.
        var phone = await NewPage(locale, viewport: Phone);
        await phone.GotoAsync($"{BaseAddress}r/track/{code}");
        var card = phone.GetByRole(AriaRole.Region, new() { Name = filed });
        await Assertions.Expect(card).ToContainTextAsync(T(locale, "已受理，等待志愿者", "Accepted, waiting for a volunteer"));
        await Assertions.Expect(card).ToContainTextAsync(T(locale, "您反映的问题与已有的一条需求相同，已一并办理。", "Someone reported the same need; it is handled together with theirs."));

        await staff.PostOk<RequestView>($"/api/requests/{request.Id}/acknowledge");
        using var volunteer = await Fixture.Dispatch.LoginAs(DeskWorld.Finisher, World.Password);
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        await phone.ReloadAsync();
        await Assertions.Expect(card).ToContainTextAsync(T(locale, "志愿者已接单", "A volunteer has it"));
        await Assertions.Expect(card).ToContainTextAsync(T(locale, "志愿者已接单，正在安排办理。", "A volunteer has taken it up and will see to it."));
        await Assertions.Expect(card).Not.ToContainTextAsync(T(locale, "签到码", "check-in code"));
        await Assertions.Expect(phone.GetByRole(AriaRole.Region, new() { Name = T(locale, "签到码", "Check-in code") })).ToHaveCountAsync(0);
        if (locale == "zh-CN")
        {
            await Screenshot(phone, "resident-track-merged");
        }

        var item = (await staff.GetOk<IntakePage>($"/api/places/{DeskWorld.Community}/intake?pageSize=200")).Items.Single(i => i.Title == filed);
        Assert.Equal((IntakeStatus.Merged, request.Id), (item.Status, item.RequestId));

        // Nothing left claimed on the community's board the other journeys read.
        await staff.PostOk<RequestView>($"/api/requests/{request.Id}/cancel", new { reason = "Journey done" });
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_resident_files_on_the_phone_and_follows_it_to_the_check_in_code(string locale)
    {
        var title = T(locale, "帮我买药送到家", "Bring my medicine home");
        var page = await NewPage(locale, viewport: Phone);
        await page.GotoAsync($"{BaseAddress}r/{DeskWorld.Community}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(T(locale, "向社区提交诉求", "Tell your community what you need"));
        await Assertions.Expect(page.GetByText(DeskWorld.CommunityName)).ToBeVisibleAsync();

        // A field left wrong is named beside it, in the reader's language (the refused POST is logged by the browser).
        ExpectConsoleError("status of 400");
        await page.GetByRole(AriaRole.Radio, new() { Name = T(locale, "帮办代办", "An errand") }).ClickAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = T(locale, "帮您办", "Handle it") }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "标题", "Title") }).FillAsync(title);
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "详细说明", "Details") }).FillAsync(T(locale, "腿脚不便，请帮忙去社区卫生站取药。", "I cannot walk far: please fetch my medicine from the clinic."));
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "姓名", "Name") }).FillAsync("吴秀兰");
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "电话", "Phone") }).FillAsync("12x");
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "地址", "Address") }).FillAsync("新华社区3号楼2单元401");
        Fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        await Button(page, T(locale, "提交", "Send")).ClickAsync();
        await Assertions.Expect(page.GetByText(T(locale, "请填写正确的电话号码。", "Give a valid phone number."))).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "resident-file");
        }

        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "电话", "Phone") }).FillAsync($"139 {Random.Shared.Next(1000, 9999)} {Random.Shared.Next(1000, 9999)}");
        await Button(page, T(locale, "提交", "Send")).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/r/track/[A-Za-z0-9_-]{22}"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(T(locale, "诉求办理进度", "How your need is going"));
        var card = page.GetByRole(AriaRole.Region, new() { Name = title });
        await Assertions.Expect(card).ToContainTextAsync(T(locale, "待受理", "Waiting for staff"));

        // Staff accept it, take it up, and a volunteer claims it: the resident sees the check-in code.
        using var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password);
        var item = (await staff.GetOk<IntakePage>($"/api/places/{DeskWorld.Community}/intake?pageSize=200")).Items.Single(i => i.Title == title);
        Assert.Equal(("吴秀兰", locale.StartsWith("zh", StringComparison.Ordinal) ? ResidentLanguage.ZhCn : ResidentLanguage.En), (item.Name, item.Language));
        var accepted = await staff.PostOk<IntakeItem>($"/api/intake/{item.Id}/accept");
        await staff.PostOk<RequestView>($"/api/requests/{accepted.RequestId}/acknowledge");
        using var volunteer = await Fixture.Dispatch.LoginAs(DeskWorld.Finisher, World.Password);
        await volunteer.PostOk<RequestView>($"/api/requests/{accepted.RequestId}/claim");
        var request = await staff.GetOk<RequestView>($"/api/requests/{accepted.RequestId}");

        await page.ReloadAsync();
        await Assertions.Expect(card).ToContainTextAsync(T(locale, "志愿者已接单", "A volunteer has it"));
        await Assertions.Expect(card).ToContainTextAsync(DeskWorld.StaffName);
        var code = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "签到码", "Check-in code") });
        await Assertions.Expect(code).ToContainTextAsync(request.CheckInCode!);
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("刘洋");
        if (locale == "zh-CN")
        {
            await Screenshot(page, "resident-track");
        }

        // The volunteer at the door starts, then completes with the code the resident read out.
        await volunteer.PostOk<RequestView>($"/api/requests/{accepted.RequestId}/start");
        var completed = await volunteer.PostOk<RequestView>($"/api/requests/{accepted.RequestId}/complete", new { checkInCode = request.CheckInCode });
        Assert.Equal(RequestStatus.Verified, completed.Status);
        await page.ReloadAsync();
        await Assertions.Expect(card).ToContainTextAsync(T(locale, "已办结", "Finished"));
        await Assertions.Expect(code).ToHaveCountAsync(0);

        // The resident is asked "is it done?" and answers with one tap.
        var confirm = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "您的诉求办好了吗？", "Is it done?") });
        await Assertions.Expect(confirm).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "resident-confirm");
        }

        await Button(page, T(locale, "已办好", "Yes, it is done")).ClickAsync();

        // Then rates it: unsatisfied, with a comment, which sends it back to staff.
        var rating = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "服务评价", "Rate the service") });
        await Assertions.Expect(rating).ToContainTextAsync(T(locale, "您确认已办好", "You confirmed it is done"));
        await rating.GetByRole(AriaRole.Radio, new() { Name = T(locale, "不满意", "Unsatisfied") }).ClickAsync();
        await rating.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "意见建议", "Comment") }).FillAsync(T(locale, "药送到了，但比约定晚了两天。", "The medicine came two days late."));
        if (locale == "zh-CN")
        {
            await Screenshot(page, "resident-rate");
        }

        await Button(page, T(locale, "提交评价", "Send rating")).ClickAsync();
        var thanks = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "感谢您的评价", "Thank you for your rating") });
        await Assertions.Expect(thanks).ToContainTextAsync(T(locale, "您的评价：不满意", "Your rating: Unsatisfied"));
        await Assertions.Expect(thanks).ToContainTextAsync(T(locale, "社区工作人员会重新核实办理情况。", "Community staff will check the work again."));
        await Assertions.Expect(card).ToContainTextAsync(T(locale, "已办完，等待确认", "Done, being checked"));
        if (locale == "zh-CN")
        {
            await Screenshot(page, "resident-rated");
        }

        // Staff see it back with them: completed again, the resident's answer apart from the verification, and told in the inbox.
        var reopened = await staff.GetOk<RequestView>($"/api/requests/{accepted.RequestId}");
        Assert.Equal(RequestStatus.Completed, reopened.Status);
        Assert.Equal((true, ResidentRating.Unsatisfied), (reopened.ResidentFeedback!.Done, reopened.ResidentFeedback.Rating));
        var inbox = await staff.GetOk<Dispatch.Notifications.InboxPage>("/api/inbox?pageSize=100");
        Assert.Contains(inbox.Items, n => n.RequestId == accepted.RequestId && n.Kind == Dispatch.Notifications.NoticeKind.ResidentUnsatisfied);
    }

    private static string T(string locale, string zh, string en) => locale.StartsWith("zh", StringComparison.Ordinal) ? zh : en;

    /// <summary>Files a need through the API as the public form does: returns the tracking code.</summary>
    private async Task<string> File(string title, string kind, string? help)
    {
        using var anonymous = Fixture.Dispatch.Anonymous();
        var token = (await anonymous.GetOk<JsonObject>($"/api/intake/form/{DeskWorld.Community}"))["formToken"]!.GetValue<string>();
        Fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        var receipt = await anonymous.PostOk<JsonObject>(
            "/api/intake",
            new { communityId = DeskWorld.Community, kind, help, title, description = "腿脚不便，出门困难。", name = "吴秀兰", phone = $"139{Random.Shared.Next(10_000_000, 99_999_999)}", address = "新华社区3号楼2单元", language = "zh-CN", formToken = token },
            HttpStatusCode.Created);
        return receipt["trackingCode"]!.GetValue<string>();
    }
}
