using System.Text.Json.Nodes;
using Dispatch.Applications;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Requests;
using Dispatch.Volunteers;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The volunteer app (/app, Vue and Vant) on a phone's screen (390×844), one journey per thing a
/// volunteer does: answer an offer, read a request and claim it, start, complete (with and without
/// the beneficiary's check-in code), release, find requests, read the points. Each sets its request
/// up through the API, acts through the page by accessible names, checks what the volunteer sees and
/// reads back what the server stored. Claiming and losing a race are in <see cref="BrowserTests"/>,
/// reporting in in <see cref="AppJoinJourneys"/>.
/// </summary>
public sealed class AppJourneys(BrowserFixture fixture) : Journey(fixture)
{
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task A_volunteer_accepts_an_offer_and_holds_the_claim()
    {
        var volunteer = World.Volunteer("m1", 3);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: "School bag for Xiao Hong");
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer });

        var page = await SignedIn(volunteer);
        await Tab(page, "Offers").ClickAsync();
        var offer = Group(Region(page, "Offered to me"), wish.Title);
        await Assertions.Expect(offer.GetByRole(AriaRole.Timer)).ToContainTextAsync("Answer within");
        await Screenshot(page, "app-offers");
        await Tap(Button(offer, "Accept"));

        await Assertions.Expect(Region(page, "Offered to me")).ToContainTextAsync("No offers waiting.");
        await Tab(page, "Requests").ClickAsync();
        await Assertions.Expect(Group(Region(page, "My claims"), wish.Title)).ToBeVisibleAsync();

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Claimed, stored.Status);
        Assert.Equal(volunteer, Assert.Single(stored.Claimants));
        Assert.Null(stored.Offer);
        Assert.Contains(await History(staff, wish.Id), h => h.Action == RequestAction.OfferAccepted && h.Actor == volunteer);
    }

    [Fact]
    public async Task A_volunteer_declines_an_offer_with_a_reason_and_the_request_is_open_again()
    {
        var volunteer = World.Volunteer("m1", 4);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: "Reading glasses for Uncle Wang");
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer });

        var page = await SignedIn(volunteer);
        await Tab(page, "Offers").ClickAsync();
        var offer = Group(Region(page, "Offered to me"), wish.Title);
        await offer.GetByRole(AriaRole.Textbox, new() { Name = "Reason" }).FillAsync("Away this weekend");
        await Button(offer, "Decline").ClickAsync();

        // Declined, the offer leaves the list and the request is back among the open ones, free to claim.
        await Assertions.Expect(Region(page, "Offered to me")).ToContainTextAsync("No offers waiting.");
        await Tab(page, "Requests").ClickAsync();
        await Assertions.Expect(Button(Group(Region(page, "Open requests in my community"), wish.Title), "Claim")).ToBeVisibleAsync();

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Open, stored.Status);
        Assert.Empty(stored.Claimants);
        Assert.Null(stored.Offer);
        Assert.Contains(await History(staff, wish.Id), h => h.Action == RequestAction.OfferDeclined && h.Actor == volunteer && h.Note == "Away this weekend");
    }

    [Fact]
    public async Task A_volunteer_reads_a_request_claims_it_and_then_sees_whom_to_call_and_where_to_go()
    {
        var volunteer = World.Volunteer("m1", 11);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: "Thermos cup for Xiao Ming");

        var page = await SignedIn(volunteer);
        await Button(Group(Region(page, "Open requests in my community"), wish.Title), "Details").ClickAsync();

        // Before claiming: what is needed and where, not who.
        var details = Region(page, "Details");
        await Assertions.Expect(details).ToContainTextAsync("For an 8-year-old left-behind child.");
        await Assertions.Expect(details).ToContainTextAsync("Normal");
        await Assertions.Expect(details).ToContainTextAsync("Place m1");
        await Assertions.Expect(Region(page, "Who to help")).ToHaveCountAsync(0);

        await Button(page, "Claim").ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Claimed. Thank you!");
        var whom = Region(page, "Who to help");
        await Assertions.Expect(whom).ToContainTextAsync("Xiao Ming");
        await Assertions.Expect(whom.GetByRole(AriaRole.Link, new() { Name = "Call Xiao Ming", Exact = false })).ToHaveAttributeAsync("href", $"tel:{ContactSentinel.Phone}");
        await Assertions.Expect(whom.GetByRole(AriaRole.Link, new() { Name = "Open the address in a map", Exact = false })).ToHaveAttributeAsync("href", "https://uri.amap.com/search?keyword=Building%203");
        await Screenshot(page, "app-request-claimed-en");

        Assert.Equal(volunteer, Assert.Single((await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Claimants));

        // Released, the request is open again and the contact is gone from the page.
        await Button(page, "Release").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Released.");
        await Assertions.Expect(Region(page, "Who to help")).ToHaveCountAsync(0);
        var released = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Open, released.Status);
        Assert.Empty(released.Claimants);
    }

    [Fact]
    public async Task A_volunteer_starts_a_claimed_request()
    {
        var volunteer = World.Volunteer("m1", 5);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        using var api = await Fixture.Dispatch.LoginAs(volunteer, World.Password);
        var errand = await staff.CreateRequest("m1", kind: "errand", title: "Book a clinic visit for Grandpa Zhao");
        await api.PostOk<RequestView>($"/api/requests/{errand.Id}/claim");

        var page = await SignedIn(volunteer);
        await Group(Region(page, "My claims"), errand.Title).ClickAsync();
        await Button(page, "Start").ClickAsync();

        // Started, the page asks for the check-in code and offers Complete instead of Start.
        await Assertions.Expect(Region(page, "Details")).ToContainTextAsync("In progress");
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Check-in code" })).ToBeVisibleAsync();
        await Assertions.Expect(Button(page, "Start")).ToHaveCountAsync(0);
        await Assertions.Expect(Button(page, "Complete")).ToBeVisibleAsync();

        var stored = await staff.GetOk<RequestView>($"/api/requests/{errand.Id}");
        Assert.Equal(RequestStatus.InProgress, stored.Status);
        Assert.Contains(await History(staff, errand.Id), h => h.Action == RequestAction.Started && h.Actor == volunteer);
    }

    [Fact]
    public async Task A_volunteer_completes_with_a_note_and_the_check_in_code_and_earns_the_points_at_once()
    {
        var volunteer = World.Volunteer("m1", 6);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        using var api = await Fixture.Dispatch.LoginAs(volunteer, World.Password);
        var wish = await staff.CreateRequest("m1", title: "Thermos cup for Xiao Gang");
        await api.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await api.PostOk<RequestView>($"/api/requests/{wish.Id}/start");

        // The beneficiary reads the code out to the volunteer; staff see it on the request.
        var code = (await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).CheckInCode;
        Assert.False(string.IsNullOrEmpty(code));

        var page = await SignedIn(volunteer);
        await Group(Region(page, "My claims"), wish.Title).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Check-in code" }).FillAsync(code);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Note" }).FillAsync("Delivered with a warm scarf");
        await Button(page, "Complete").ClickAsync();

        // Verified by the code, the work is done and its points are mine, in words on the points page.
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Completed and verified: the points are yours.");
        await Assertions.Expect(Region(page, "Details")).ToContainTextAsync("Verified");
        await page.GotoAsync($"{BaseAddress}app/points");
        var points = Region(page, "My points");
        await Assertions.Expect(points).ToContainTextAsync($"Earned {wish.Points}");
        await Assertions.Expect(points).ToContainTextAsync("Earned for completed work");
        await Assertions.Expect(points).ToContainTextAsync($"+{wish.Points}");
        await Screenshot(page, "app-points-en");

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Verified, stored.Status);
        Assert.Equal("Delivered with a warm scarf", stored.CompletionNote);
        Assert.True(stored.Verification is { Approved: true, ByCheckInCode: true });
        Assert.Equal(wish.Points, (await staff.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points")).Balance);
        Assert.DoesNotContain(wish.Id, (await staff.GetOk<VolunteerView>($"/api/volunteers/{volunteer}")).ActiveClaims);
    }

    [Fact]
    public async Task A_volunteer_completes_without_a_code_and_the_work_waits_for_staff()
    {
        var volunteer = World.Volunteer("m1", 7);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        using var api = await Fixture.Dispatch.LoginAs(volunteer, World.Password);
        var wish = await staff.CreateRequest("m1", title: "Winter gloves for Aunt Liu");
        await api.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await api.PostOk<RequestView>($"/api/requests/{wish.Id}/start");

        var page = await SignedIn(volunteer);
        await Group(Region(page, "My claims"), wish.Title).ClickAsync();
        await Button(page, "Complete").ClickAsync();

        // Completed but not verified: nothing left to do, and no points yet.
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Completed: staff will verify it.");
        await Assertions.Expect(Region(page, "Details")).ToContainTextAsync("Completed");
        await Assertions.Expect(Button(page, "Complete")).ToHaveCountAsync(0);

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Completed, stored.Status);
        Assert.Null(stored.Verification);
        Assert.Equal(0, (await staff.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points")).Balance);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_volunteer_claims_starts_and_completes_on_the_phone(string locale)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = $"vol-phone-{locale.ToLowerInvariant()}";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.CreateAccount(volunteer, "volunteer", "m1");
        }

        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: T($"给小明的保温杯 {locale}", $"Thermos cup for Xiao Ming {locale}"));
        var page = await SignedIn(volunteer, locale);

        await Tap(Button(Group(Region(page, T("本社区待认领需求", "Open requests in my community")), wish.Title), T("详情", "Details")));
        await Tap(Button(Region(page, T("我的认领", "My claims")), T("认领", "Claim")));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T("认领成功，谢谢！", "Claimed. Thank you!"));
        await Assertions.Expect(Region(page, T("服务对象", "Who to help"))).ToContainTextAsync("Xiao Ming");
        if (zh)
        {
            await Screenshot(page, "app-request-claimed");
        }

        await Tap(Button(page, T("开始服务", "Start")));
        var code = (await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).CheckInCode!;
        await page.GetByRole(AriaRole.Textbox, new() { Name = T("核验码", "Check-in code") }).FillAsync(code);
        await page.GetByRole(AriaRole.Textbox, new() { Name = T("服务记录", "Note") }).FillAsync(T("已送到", "Delivered"));
        await Tap(Button(page, T("完成服务", "Complete")));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T("已完成并核验，积分已到账。", "Completed and verified: the points are yours."));

        await Tap(page.GetByRole(AriaRole.Button, new() { Name = T("返回", "Back") }));
        await Tab(page, T("积分", "Points")).ClickAsync();
        var points = Region(page, T("我的积分", "My points"));
        await Assertions.Expect(points).ToContainTextAsync(T("完成服务获得", "Earned for completed work"));
        await Assertions.Expect(points).ToContainTextAsync($"+{wish.Points}");
        if (zh)
        {
            await Screenshot(page, "app-points");
        }

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Verified, stored.Status);
        Assert.Equal(T("已送到", "Delivered"), stored.CompletionNote);
        Assert.Equal(wish.Points, (await staff.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points")).Balance);
    }

    [Theory]
    [InlineData("en-US", "Search requests")]
    [InlineData("zh-CN", "搜索需求")]
    public async Task A_volunteer_finds_open_requests_by_search(string locale, string searchLabel)
    {
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var coat = await staff.CreateRequest("m1", title: $"Padded coat {locale}");
        var visit = await staff.CreateRequest("m1", kind: "errand", title: $"Pharmacy run {locale}");

        var page = await SignedIn(World.Volunteer("m1", 12), locale);
        var open = Region(page, locale == "en-US" ? "Open requests in my community" : "本社区待认领需求");
        await Assertions.Expect(Group(open, coat.Title)).ToBeVisibleAsync();
        await Assertions.Expect(Group(open, visit.Title)).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "app-open-requests");
        }

        var search = page.GetByRole(AriaRole.Searchbox).Or(page.GetByRole(AriaRole.Textbox, new() { Name = searchLabel })).First;
        await search.FillAsync("Pharmacy");
        await search.PressAsync("Enter");

        await Assertions.Expect(Group(open, coat.Title)).ToHaveCountAsync(0);
        await Assertions.Expect(Group(open, visit.Title)).ToBeVisibleAsync();
    }

    /// <summary>The app on a phone: 390×844, a touch screen.</summary>
    private async Task<IPage> SignedIn(string volunteer, string locale = "en-US")
    {
        var page = await NewPage(locale, viewport: Phone, touch: true);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, volunteer, locale == "en-US" ? En : Zh);
        return page;
    }

    private static ILocator Tab(IPage page, string name) => page.GetByRole(AriaRole.Tab, new() { Name = name }).Or(page.GetByRole(AriaRole.Link, new() { Name = name })).First;

    private static Task<HistoryEntry[]> History(DispatchClient client, Guid id) =>
        client.GetOk<HistoryEntry[]>($"/api/requests/{id}/history");
}

/// <summary>
/// Reporting in (双报到) on the phone, in Chinese and English: a person fills the form (a bad
/// field is named beside it), waits, and after staff approve signs in and claims; a rejection is
/// shown with its reason.
/// </summary>
public sealed class AppJoinJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private const string Password = "report-in-password";

    public sealed record Words(string Name, string Phone, string Unit, string Username, string Password, string Submit, string Waiting, string Rejected, string OpenRequests, string PasswordRule, string DeskMenu, string Approve, string Reject, string ConfirmReject, string ReasonLabel);

    private static readonly Words English = new("Full name", "Mobile phone", "Work unit", "Username", "Password", "Send my report-in", "Waiting for approval", "Not approved", "Open requests in my community", "The password must be 8 to 128 characters.", "Report-ins", "Approve", "Reject", "Reject", "Reason for rejecting");

    private static readonly Words Chinese = new("姓名", "手机号码", "工作单位", "用户名", "密码", "提交报到", "等待审核", "未通过", "本社区待认领需求", "密码需 8–128 位", "报到审核", "通过", "不通过", "确认不通过", "不通过的原因");

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_person_reports_in_waits_is_approved_then_signs_in_and_claims(string locale)
    {
        ExpectConsoleError("400"); // The first submission is refused on purpose: Chromium logs the 400.
        var (words, texts) = locale == "en-US" ? (English, En) : (Chinese, Zh);
        var username = $"joiner-{locale.ToLowerInvariant()}";
        using var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password);
        var wish = await staff.CreateRequest(DeskWorld.Community, title: $"Groceries for Granny Sun {locale}");

        var page = await NewPage(locale, viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app/join/{DeskWorld.Community}");
        var person = locale == "en-US" ? "Wang Fang" : "王芳";
        await Field(page, words.Name).FillAsync(person);
        await Field(page, words.Phone).FillAsync("138 0013 8000");
        await Field(page, words.Unit).FillAsync("旗供电公司");
        await Field(page, words.Username).FillAsync(username);
        await Field(page, words.Password).FillAsync("short");
        await Button(page, words.Submit).ClickAsync();

        // The message stands beside the password (the server's, or its rule in Chinese); nothing was created.
        await Assertions.Expect(page.Locator(".van-field__error-message")).ToContainTextAsync(words.PasswordRule);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "app-join");
        }

        await Field(page, words.Password).FillAsync(Password);
        await Button(page, words.Submit).ClickAsync();
        await Assertions.Expect(page.GetByText(words.Waiting, new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab)).ToHaveCountAsync(0);

        var application = (await staff.GetOk<ApplicationPage>($"/api/places/{DeskWorld.Community}/applications?status=waiting&pageSize=200")).Items.Single(a => a.Username == username);
        Assert.Equal((person, "13800138000", "旗供电公司"), (application.Name, application.Phone, application.Unit));

        // Staff approve in the desk's list of report-ins.
        var desk = await NewPage(locale, viewport: new() { Width = 1366, Height = 768 });
        await desk.GotoAsync($"{BaseAddress}console/applications");
        await SignIn(desk, DeskWorld.Staff, texts);
        await desk.GetByRole(AriaRole.Menuitem, new() { Name = words.DeskMenu }).ClickAsync();
        await Assertions.Expect(desk.GetByText("13800138000")).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(desk, "console-applications");
        }

        await Button(desk, $"{words.Approve} {person}").ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Status)).ToContainTextAsync(person);
        Assert.Equal(ApplicationStatus.Approved, (await staff.GetOk<ApplicationPage>($"/api/places/{DeskWorld.Community}/applications?pageSize=200")).Items.Single(a => a.Username == username).Status);

        // Approval ended the applicant's session (its refresh cookie is refused, which Chromium logs):
        // reopened, the app asks to sign in again, now as a volunteer.
        ExpectConsoleError("401");
        await page.ReloadAsync();
        await Assertions.Expect(Button(page, texts.SignIn)).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = texts.Username, Exact = true }).FillAsync(username);
        await page.GetByLabel(texts.Password, new() { Exact = true }).FillAsync(Password);
        await Button(page, texts.SignIn).ClickAsync();
        await Button(Group(Region(page, words.OpenRequests), wish.Title), locale == "en-US" ? "Claim" : "认领").ClickAsync();

        await Assertions.Expect(Group(Region(page, locale == "en-US" ? "My claims" : "我的认领"), wish.Title)).ToBeVisibleAsync();
        Assert.Equal(username, Assert.Single((await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Claimants));
    }

    [Theory]
    [InlineData("zh-CN", "请到户籍所在社区报到")]
    [InlineData("en-US", "Please report in where you live")]
    public async Task A_rejected_applicant_is_shown_the_reason(string locale, string reason)
    {
        var words = locale == "en-US" ? English : Chinese;
        var username = $"rejected-{locale.ToLowerInvariant()}";
        using var anonymous = Fixture.Dispatch.Anonymous();
        var applied = await anonymous.PostOk<JsonObject>(
            "/api/applications",
            new { kind = "person", communityId = "m1", name = locale == "en-US" ? "Li Ming" : "李明", phone = locale == "en-US" ? "13900001111" : "13900002222", username, password = Password },
            System.Net.HttpStatusCode.Created);
        var texts = locale == "en-US" ? En : Zh;
        var person = locale == "en-US" ? "Li Ming" : "李明";
        Assert.Equal("waiting", applied["status"]!.GetValue<string>());

        // Staff reject in the desk, with the reason the applicant will read.
        var desk = await NewPage(locale, viewport: new() { Width = 1366, Height = 768 });
        await desk.GotoAsync($"{BaseAddress}console/applications");
        await SignIn(desk, "staff-t1", texts);
        await desk.GetByRole(AriaRole.Menuitem, new() { Name = words.DeskMenu }).ClickAsync();
        await Button(desk, $"{words.Reject} {person}").ClickAsync();
        await desk.GetByRole(AriaRole.Textbox, new() { Name = words.ReasonLabel }).FillAsync(reason);
        await Button(desk, words.ConfirmReject).ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Status)).ToContainTextAsync(person);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var stored = (await staff.GetOk<ApplicationPage>("/api/places/m1/applications?status=rejected&pageSize=200")).Items.Single(a => a.Username == username);
        Assert.Equal(reason, stored.Reason);

        var page = await NewPage(locale, viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app");
        await page.GetByRole(AriaRole.Textbox, new() { Name = words.Username, Exact = true }).FillAsync(username);
        await page.GetByLabel(words.Password, new() { Exact = true }).FillAsync(Password);
        await Button(page, locale == "en-US" ? "Sign in" : "登录").ClickAsync();

        await Assertions.Expect(page.GetByText(words.Rejected, new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(reason, new() { Exact = false })).ToBeVisibleAsync();
        await Screenshot(page, $"app-rejected-{(locale == "en-US" ? "en" : "zh")}");
    }

    private static ILocator Field(IPage page, string label) => page.GetByRole(AriaRole.Textbox, new() { Name = label, Exact = true });
}
