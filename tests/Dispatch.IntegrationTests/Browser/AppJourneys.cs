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

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_volunteer_accepts_an_offer_and_holds_the_claim(string locale)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = await NewVolunteer($"vol-accept-{locale.ToLowerInvariant()}");
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: T("给小红买书包", $"School bag for Xiao Hong {locale}"));
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer });

        var page = await SignedIn(volunteer, locale);
        await Tap(Tab(page, T("派单", "Offers")));
        var offer = Group(Region(page, T("派给我的", "Offered to me")), wish.Title);
        await Assertions.Expect(offer.GetByRole(AriaRole.Timer)).ToContainTextAsync(T("内回复", "Answer within"));
        if (zh)
        {
            await Screenshot(page, "app-offers");
        }

        await Tap(Button(offer, T("接受", "Accept")));

        await Assertions.Expect(Region(page, T("派给我的", "Offered to me"))).ToContainTextAsync(T("暂无待回复的派单。", "No offers waiting."));
        await Tap(Tab(page, T("需求", "Requests")));
        await Assertions.Expect(Group(Region(page, T("我的认领", "My claims")), wish.Title)).ToBeVisibleAsync();

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Claimed, stored.Status);
        Assert.Equal(volunteer, Assert.Single(stored.Claimants));
        Assert.Null(stored.Offer);
        Assert.Contains(await History(staff, wish.Id), h => h.Action == RequestAction.OfferAccepted && h.Actor == volunteer);
    }

    [Theory]
    [InlineData("zh-CN", "这个周末不在家")]
    [InlineData("en-US", "Away this weekend")]
    public async Task A_volunteer_declines_an_offer_with_a_reason_and_the_request_is_open_again(string locale, string reason)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = await NewVolunteer($"vol-decline-{locale.ToLowerInvariant()}");
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: T("给王大爷配老花镜", $"Reading glasses for Uncle Wang {locale}"));
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer });

        var page = await SignedIn(volunteer, locale);
        await Tap(Tab(page, T("派单", "Offers")));
        var offer = Group(Region(page, T("派给我的", "Offered to me")), wish.Title);
        await offer.GetByRole(AriaRole.Textbox, new() { Name = T("原因", "Reason") }).FillAsync(reason);
        await Tap(Button(offer, T("婉拒", "Decline")));

        // Declined, the offer leaves the list and the request is back among the open ones, free to claim.
        await Assertions.Expect(Region(page, T("派给我的", "Offered to me"))).ToContainTextAsync(T("暂无待回复的派单。", "No offers waiting."));
        await Tap(Tab(page, T("需求", "Requests")));
        await Assertions.Expect(Button(Group(Region(page, T("本社区待认领需求", "Open requests in my community")), wish.Title), T("认领", "Claim"))).ToBeVisibleAsync();

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Open, stored.Status);
        Assert.Empty(stored.Claimants);
        Assert.Null(stored.Offer);
        Assert.Contains(await History(staff, wish.Id), h => h.Action == RequestAction.OfferDeclined && h.Actor == volunteer && h.Note == reason);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_volunteer_reads_a_request_claims_it_and_then_sees_whom_to_call_and_where_to_go(string locale)
    {
        ExpectConsoleError("409"); // Claiming again within the cool-down is refused on purpose: Chromium logs the 409.
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = await NewVolunteer($"vol-reader-{locale.ToLowerInvariant()}");
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.PostOk<RequestView>(
            "/api/requests",
            new
            {
                communityId = "m1",
                kind = "wish",
                title = T($"给小明的保温杯 {locale}", $"Thermos cup for Xiao Ming {locale}"),
                description = T("给一名 8 岁的留守儿童。", "For an 8-year-old left-behind child."),
                categories = new[] { T("物资", "goods") },
                urgency = "urgent",
                places = 1,
                points = 10,
                beneficiary = new { name = T("小明", "Xiao Ming"), phone = ContactSentinel.Phone, address = T("3 号楼 2 单元", "Building 3") },
            },
            System.Net.HttpStatusCode.Created);

        var page = await SignedIn(volunteer, locale);
        await Tap(Button(Group(Region(page, T("本社区待认领需求", "Open requests in my community")), wish.Title), T("详情", "Details")));

        // Before claiming: what is needed and where, not who.
        var details = Region(page, T("详情", "Details"));
        await Assertions.Expect(details).ToContainTextAsync(T("给一名 8 岁的留守儿童。", "For an 8-year-old left-behind child."));
        await Assertions.Expect(details).ToContainTextAsync(T("紧急", "Urgent"));
        await Assertions.Expect(details).ToContainTextAsync("Place m1");
        await Assertions.Expect(Region(page, T("服务对象", "Who to help"))).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText(ContactSentinel.Phone)).ToHaveCountAsync(0);

        await Tap(Button(page, T("认领", "Claim")));

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T("认领成功，谢谢！", "Claimed. Thank you!"));
        var whom = Region(page, T("服务对象", "Who to help"));
        await Assertions.Expect(whom).ToContainTextAsync(T("小明", "Xiao Ming"));
        await Assertions.Expect(whom.GetByRole(AriaRole.Link, new() { Name = T("拨打 小明 的电话", "Call Xiao Ming"), Exact = false })).ToHaveAttributeAsync("href", $"tel:{ContactSentinel.Phone}");
        await Assertions.Expect(whom.GetByRole(AriaRole.Link, new() { Name = T("在地图中打开地址", "Open the address in a map"), Exact = false }))
            .ToHaveAttributeAsync("href", "https://uri.amap.com/search?keyword=" + Uri.EscapeDataString(T("3 号楼 2 单元", "Building 3")));
        if (!zh)
        {
            await Screenshot(page, "app-request-claimed-en");
        }

        Assert.Equal(volunteer, Assert.Single((await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Claimants));

        // Released, the request is open again and the contact is gone from the page.
        await Tap(Button(page, T("放弃认领", "Release")));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T("已放弃认领。", "Released."));
        await Assertions.Expect(Region(page, T("服务对象", "Who to help"))).ToHaveCountAsync(0);
        var released = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Open, released.Status);
        Assert.Empty(released.Claimants);

        // Claiming it straight back is refused until the cool-down has passed, and the page says so in words.
        await Tap(Button(page, T("认领", "Claim")));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(T("请稍后再认领", "you can claim it again later"));
        Assert.Empty((await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Claimants);
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
        // In Chinese, in the world the desk's journeys name as a county does (its screenshot is the README's).
        var (community, staffName) = zh ? (DeskWorld.Community, DeskWorld.Staff) : ("m1", "staff-t1");
        var volunteer = $"vol-phone-{locale.ToLowerInvariant()}";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.PostOk<JsonObject>(
                "/api/accounts",
                new { username = volunteer, password = World.Password, displayName = T("周晓燕", "Zhou Xiaoyan"), role = "volunteer", placeId = community },
                System.Net.HttpStatusCode.Created);
        }

        using var staff = await Fixture.Dispatch.LoginAs(staffName, World.Password);
        var wish = await staff.PostOk<RequestView>(
            "/api/requests",
            new
            {
                communityId = community,
                kind = "wish",
                title = T("给小明的保温杯", $"Thermos cup for Xiao Ming {locale}"),
                description = T("小明 8 岁，父母在外地打工，冬天上学想带一个保温杯。", "For an 8-year-old left-behind child."),
                categories = new[] { T("学习用品", "goods") },
                urgency = "normal",
                places = 1,
                points = 10,
                beneficiary = new { name = T("小明", "Xiao Ming"), phone = ContactSentinel.Phone, address = T("新华社区 3 号楼 2 单元 401", "Building 3") },
            },
            System.Net.HttpStatusCode.Created);
        var page = await SignedIn(volunteer, locale);

        await Tap(Button(Group(Region(page, T("本社区待认领需求", "Open requests in my community")), wish.Title), T("详情", "Details")));
        await Tap(Button(Region(page, T("我的认领", "My claims")), T("认领", "Claim")));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T("认领成功，谢谢！", "Claimed. Thank you!"));
        await Assertions.Expect(Region(page, T("服务对象", "Who to help"))).ToContainTextAsync(T("小明", "Xiao Ming"));
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
        await Assertions.Expect(points).ToContainTextAsync(T($"「{wish.Title}」已核验", $"\"{wish.Title}\" verified")); // the server's English reason, in the reader's words
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
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_volunteer_finds_open_requests_by_search_kind_and_category(string locale)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;

        // In Chinese, in the world the desk's journeys name as a county does (its screenshot is kept).
        var (community, staffName) = zh ? (DeskWorld.Community, DeskWorld.Staff) : ("m1", "staff-t1");
        var volunteer = $"vol-finder-{locale.ToLowerInvariant()}";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.PostOk<JsonObject>(
                "/api/accounts",
                new { username = volunteer, password = World.Password, displayName = T("郑红", "Zheng Hong"), role = "volunteer", placeId = community },
                System.Net.HttpStatusCode.Created);
        }

        using var staff = await Fixture.Dispatch.LoginAs(staffName, World.Password);
        var coat = await Publish("wish", T("给孙奶奶送一件棉袄", $"Padded coat {locale}"), T("衣物", "clothes"));
        var pharmacy = await Publish("errand", T("帮赵爷爷代买降压药", $"Pharmacy run {locale}"), T("买药", "medicine"));
        var clinic = await Publish("errand", T("陪钱大爷去卫生院复查", $"Clinic visit {locale}"), T("陪伴", "company"));

        var page = await SignedIn(volunteer, locale);
        var open = Region(page, T("本社区待认领需求", "Open requests in my community"));
        foreach (var request in new[] { coat, pharmacy, clinic })
        {
            await Assertions.Expect(Group(open, request.Title)).ToBeVisibleAsync();
        }

        if (zh)
        {
            await Screenshot(page, "app-open-requests", fullPage: false);
        }

        // Search by words of the title.
        var search = page.GetByRole(AriaRole.Searchbox).Or(page.GetByRole(AriaRole.Textbox, new() { Name = T("搜索需求", "Search requests") })).First;
        await search.FillAsync(T("降压药", "Pharmacy"));
        await search.PressAsync("Enter");
        await Assertions.Expect(Group(open, coat.Title)).ToHaveCountAsync(0);
        await Assertions.Expect(Group(open, clinic.Title)).ToHaveCountAsync(0);
        await Assertions.Expect(Group(open, pharmacy.Title)).ToBeVisibleAsync();
        await search.FillAsync("");
        await search.PressAsync("Enter");
        await Assertions.Expect(Group(open, coat.Title)).ToBeVisibleAsync();

        // Errands only: the wish goes, both errands stay.
        await Tap(Button(page, T("全部类型", "All kinds")));
        await Tap(page.GetByRole(AriaRole.Menuitem, new() { Name = T("帮办代办", "Errand"), Exact = true }));
        await Assertions.Expect(Group(open, coat.Title)).ToHaveCountAsync(0);
        await Assertions.Expect(Group(open, pharmacy.Title)).ToBeVisibleAsync();
        await Assertions.Expect(Group(open, clinic.Title)).ToBeVisibleAsync();

        // And of one category: only the pharmacy run is left.
        await Tap(Button(page, T("全部类别", "All categories")));
        await Tap(page.GetByRole(AriaRole.Menuitem, new() { Name = T("买药", "medicine"), Exact = true }));
        await Assertions.Expect(Group(open, clinic.Title)).ToHaveCountAsync(0);
        await Assertions.Expect(Group(open, pharmacy.Title)).ToBeVisibleAsync();

        Task<RequestView> Publish(string kind, string title, string category) => staff.PostOk<RequestView>(
            "/api/requests",
            new { communityId = community, kind, title, categories = new[] { category }, urgency = "normal", places = 1, points = 10, beneficiary = new { name = T("社区居民", "A resident") } },
            System.Net.HttpStatusCode.Created);
    }

    /// <summary>The app on a phone: 390×844, a touch screen.</summary>
    private async Task<IPage> SignedIn(string volunteer, string locale = "en-US")
    {
        var page = await NewPage(locale, viewport: Phone, touch: true);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, volunteer, locale == "en-US" ? En : Zh);
        return page;
    }

    /// <summary>A volunteer of m1 of this journey's own, so that each language's run starts with nothing held or offered.</summary>
    private async Task<string> NewVolunteer(string username)
    {
        using var admin = await Fixture.Dispatch.Admin();
        await admin.CreateAccount(username, "volunteer", "m1", World.Password);
        return username;
    }

    // A tab's name may carry its badge ("派单 2"), so it is matched in part; a link only whole, since a
    // request's card is a link whose name holds words such as "积分 10" and comes first on the page.
    private static ILocator Tab(IPage page, string name) =>
        page.GetByRole(AriaRole.Tab, new() { Name = name }).Or(page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).First;

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

    public sealed record Words(string Name, string Phone, string Unit, string Username, string Password, string Submit, string Waiting, string Rejected, string OpenRequests, string PasswordRule, string DeskMenu, string Approve, string Reject, string ConfirmReject, string ReasonLabel)
    {
        public string PartyMember { get; init; } = "";
        public string Skills { get; init; } = "";
        public string Weekends { get; init; } = "";
        public string KindUnit { get; init; } = "";
        public string UnitName { get; init; } = "";
        public string Contact { get; init; } = "";
        public string Offers { get; init; } = "";
    }

    private static readonly Words English = new("Full name", "Mobile phone", "Work unit", "Username", "Password", "Send my report-in", "Waiting for approval", "Not approved", "Open requests in my community", "The password must be 8 to 128 characters.", "Report-ins", "Approve", "Reject", "Reject", "Reason for rejecting")
    {
        PartyMember = "In-service party member", Skills = "Skills", Weekends = "Weekends", KindUnit = "My unit", UnitName = "Name of the unit", Contact = "Contact person", Offers = "What the unit offers",
    };

    private static readonly Words Chinese = new("姓名", "手机号码", "工作单位", "用户名", "密码", "提交报到", "等待审核", "未通过", "本社区待认领需求", "密码需 8–128 位", "报到审核", "通过", "不通过", "确认不通过", "不通过的原因")
    {
        PartyMember = "在职党员", Skills = "个人特长", Weekends = "周末", KindUnit = "单位报到", UnitName = "单位名称", Contact = "联系人", Offers = "可提供的资源",
    };

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_person_reports_in_waits_is_approved_then_signs_in_and_claims(string locale)
    {
        ExpectConsoleError("400"); // The first submission is refused on purpose: Chromium logs the 400.
        var (words, texts) = locale == "en-US" ? (English, En) : (Chinese, Zh);
        var username = $"joiner-{locale.ToLowerInvariant()}";
        using var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password);
        var wish = await staff.CreateRequest(DeskWorld.Community, title: locale == "en-US" ? "帮孙奶奶买菜" : "帮周爷爷取快递");

        var page = await NewPage(locale, viewport: AppJourneys.Phone, touch: true);
        await page.GotoAsync($"{BaseAddress}app/join/{DeskWorld.Community}");
        var person = locale == "en-US" ? "Wang Fang" : "王芳";
        await Field(page, words.Name).FillAsync(person);
        await Field(page, words.Phone).FillAsync("138 0013 8000");
        await Field(page, words.Unit).FillAsync("阿荣旗供电公司");
        await page.GetByRole(AriaRole.Switch, new() { Name = words.PartyMember }).TapAsync();
        await Field(page, words.Skills).FillAsync(locale == "en-US" ? "first aid, haircuts" : "急救，理发");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = words.Weekends }).TapAsync();
        await Field(page, words.Username).FillAsync(username);
        await Field(page, words.Password).FillAsync("short");
        if (locale == "zh-CN")
        {
            await Screenshot(page, "app-join");
        }

        await Tap(Button(page, words.Submit));

        // The message stands beside the password (the server's, or its rule in Chinese); nothing was created.
        await Assertions.Expect(page.Locator(".van-field__error-message")).ToContainTextAsync(words.PasswordRule);
        Assert.DoesNotContain((await staff.GetOk<ApplicationPage>($"/api/places/{DeskWorld.Community}/applications?pageSize=200")).Items, a => a.Username == username);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "app-join-refused");
        }

        await Field(page, words.Password).FillAsync(Password);
        await Tap(Button(page, words.Submit));
        await Assertions.Expect(page.GetByText(words.Waiting, new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab)).ToHaveCountAsync(0);

        var application = (await staff.GetOk<ApplicationPage>($"/api/places/{DeskWorld.Community}/applications?status=waiting&pageSize=200")).Items.Single(a => a.Username == username);
        Assert.Equal((ApplicationKind.Person, person, "13800138000", "阿荣旗供电公司", true), (application.Kind, application.Name, application.Phone, application.Unit, application.PartyMember));
        Assert.Equal<string>(locale == "en-US" ? ["first aid", "haircuts"] : ["急救", "理发"], application.Skills);
        Assert.Equal<string>([locale == "en-US" ? "Weekends" : "周末"], application.Availability);

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
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_unit_reports_in_through_its_contact_and_once_approved_is_an_organisation_of_the_community(string locale)
    {
        var (words, texts) = locale == "en-US" ? (English, En) : (Chinese, Zh);
        string T(string chinese, string english) => locale == "en-US" ? english : chinese;
        var username = $"unit-contact-{locale.ToLowerInvariant()}";
        var unit = T("阿荣旗农商银行那吉支行", "Nierji branch of the Arong rural bank");
        var contact = T("孙丽", "Sun Li");
        using var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password);

        // The contact person reports the unit in from the community's link: the unit's name, the
        // contact, what it offers (资源清单); not a person's party membership or skills.
        var page = await NewPage(locale, viewport: AppJourneys.Phone, touch: true);
        await page.GotoAsync($"{BaseAddress}app/join/{DeskWorld.Community}");
        await page.GetByRole(AriaRole.Radio, new() { Name = words.KindUnit }).TapAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Switch, new() { Name = words.PartyMember })).ToHaveCountAsync(0);
        await Assertions.Expect(Field(page, words.Skills)).ToHaveCountAsync(0);
        await Field(page, words.UnitName).FillAsync(unit);
        await Field(page, words.Contact).FillAsync(contact);
        await Field(page, words.Phone).FillAsync(locale == "en-US" ? "13800139001" : "13800139002");
        await Field(page, words.Offers).FillAsync(T("法律咨询，金融知识讲座，会议室", "legal advice, talks on saving, a meeting room"));
        await page.GetByRole(AriaRole.Radio, new() { Name = T("国有企业", "State-owned enterprise") }).TapAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = words.Weekends }).TapAsync();
        await Field(page, words.Username).FillAsync(username);
        await Field(page, words.Password).FillAsync(Password);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "app-join-unit");
        }

        await Tap(Button(page, words.Submit));
        await Assertions.Expect(page.GetByText(words.Waiting, new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab)).ToHaveCountAsync(0);

        var application = (await staff.GetOk<ApplicationPage>($"/api/places/{DeskWorld.Community}/applications?status=waiting&pageSize=200")).Items.Single(a => a.Username == username);
        Assert.Equal((ApplicationKind.Unit, UnitKind.StateOwnedEnterprise, contact, unit, false), (application.Kind, application.UnitKind, application.Name, application.Unit, application.PartyMember));
        Assert.Equal<string>(locale == "en-US" ? ["legal advice", "talks on saving", "a meeting room"] : ["法律咨询", "金融知识讲座", "会议室"], application.Offers);

        // Staff approve it in the desk's list of report-ins, where it is marked as a unit's.
        var desk = await NewPage(locale, viewport: new() { Width = 1366, Height = 768 });
        await desk.GotoAsync($"{BaseAddress}console/applications");
        await SignIn(desk, DeskWorld.Staff, texts);
        await desk.GetByRole(AriaRole.Menuitem, new() { Name = words.DeskMenu }).ClickAsync();
        var row = desk.GetByRole(AriaRole.Row).Filter(new() { HasText = unit });
        await Assertions.Expect(row).ToContainTextAsync(T("单位 · 国有企业", "Unit · State-owned enterprise"));
        await Button(desk, $"{words.Approve} {contact}").ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Status)).ToContainTextAsync(T($"{unit}已成为本社区的共建单位，联系人{contact}。", $"{unit} is now a co-building unit of the community; {contact} is its contact."));

        // Approved: an organisation of the community, named as the unit, its contact a member and a volunteer.
        var approved = (await staff.GetOk<ApplicationPage>($"/api/places/{DeskWorld.Community}/applications?pageSize=200")).Items.Single(a => a.Username == username);
        Assert.Equal((ApplicationStatus.Approved, DeskWorld.Staff), (approved.Status, approved.DecidedBy));
        var organisation = await staff.GetOk<Dispatch.Organisations.OrganisationView>($"/api/organisations/{approved.OrganisationId}");
        Assert.Equal(unit, organisation.Name);
        Assert.True(organisation.ReportsTo(DeskWorld.Community));
        Assert.True(organisation.HasMember(username));

        // The contact signs in again (approval ended the applicant's session, which Chromium logs as a 401): the app's tabs.
        ExpectConsoleError("401");
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = texts.Username, Exact = true }).FillAsync(username);
        await page.GetByLabel(texts.Password, new() { Exact = true }).FillAsync(Password);
        await Tap(Button(page, texts.SignIn));
        await Assertions.Expect(Region(page, words.OpenRequests)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab)).Not.ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_of_the_community_see_a_report_in_arrive_live_with_a_badge(string locale)
    {
        var (words, texts) = locale == "en-US" ? (English, En) : (Chinese, Zh);
        var staffName = $"community-staff-{locale.ToLowerInvariant()}";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.PostOk<JsonObject>(
                "/api/accounts",
                new { username = staffName, password = World.Password, displayName = locale == "en-US" ? "Ma Li" : "马丽", role = "staff", placeId = DeskWorld.Community },
                System.Net.HttpStatusCode.Created);
        }

        using var staff = await Fixture.Dispatch.LoginAs(staffName, World.Password);
        var waiting = (await staff.GetOk<ApplicationPage>($"/api/places/{DeskWorld.Community}/applications?status=waiting&pageSize=1")).Total;

        var desk = await NewPage(locale, viewport: new() { Width = 1366, Height = 768 });
        await desk.GotoAsync($"{BaseAddress}console/applications");
        await SignIn(desk, staffName, texts);
        var menu = desk.GetByRole(AriaRole.Menuitem, new() { Name = words.DeskMenu });
        await menu.ClickAsync();
        var badge = menu.Locator(".el-badge__content");
        await Assertions.Expect(badge).ToHaveCountAsync(waiting > 0 ? 1 : 0);

        // Reported in from a phone while the desk is open: the row and the badge, without a reload.
        var person = locale == "en-US" ? "Gao Yan" : "高燕";
        var username = $"live-joiner-{locale.ToLowerInvariant()}";
        using var anonymous = Fixture.Dispatch.Anonymous();
        await anonymous.PostOk<JsonObject>(
            "/api/applications",
            new { kind = "person", communityId = DeskWorld.Community, name = person, phone = locale == "en-US" ? "13800137001" : "13800137002", username, password = Password },
            System.Net.HttpStatusCode.Created);
        await Assertions.Expect(desk.GetByRole(AriaRole.Group, new() { Name = person, Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(badge).ToHaveTextAsync((waiting + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Decided, it leaves the waiting list and the count.
        await Button(desk, $"{words.Approve} {person}").ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Status)).ToContainTextAsync(person);
        await Assertions.Expect(desk.GetByRole(AriaRole.Group, new() { Name = person, Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(badge).ToHaveCountAsync(waiting > 0 ? 1 : 0);
        Assert.Equal(waiting, (await staff.GetOk<ApplicationPage>($"/api/places/{DeskWorld.Community}/applications?status=waiting&pageSize=1")).Total);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_town_officer_sees_the_report_in_badge_grow_live_when_a_person_reports_in_below(string locale)
    {
        var (words, texts) = locale == "en-US" ? (English, En) : (Chinese, Zh);
        var officer = $"town-officer-{locale.ToLowerInvariant()}";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.PostOk<JsonObject>(
                "/api/accounts",
                new { username = officer, password = World.Password, displayName = locale == "en-US" ? "Sun Tao" : "孙涛", role = "staff", placeId = DeskWorld.Town },
                System.Net.HttpStatusCode.Created);
        }

        using var staff = await Fixture.Dispatch.LoginAs(officer, World.Password);
        var waiting = (await staff.GetOk<ApplicationPage>($"/api/places/{DeskWorld.Town}/applications?status=waiting&pageSize=1")).Total;

        // The town's officer has the desk open on the town's board, not on the report-ins.
        var desk = await NewPage(locale, viewport: new() { Width = 1366, Height = 768 });
        await desk.GotoAsync($"{BaseAddress}console");
        await SignIn(desk, officer, texts);
        var menu = desk.GetByRole(AriaRole.Menuitem, new() { Name = words.DeskMenu });
        await Assertions.Expect(menu).ToBeVisibleAsync();
        var badge = menu.Locator(".el-badge__content");
        await Assertions.Expect(badge).ToHaveCountAsync(waiting > 0 ? 1 : 0);

        // A person reports in to a community of the town from a phone: the badge counts it, no reload.
        var person = locale == "en-US" ? "Tian Jing" : "田静";
        using var anonymous = Fixture.Dispatch.Anonymous();
        await anonymous.PostOk<JsonObject>(
            "/api/applications",
            new { kind = "person", communityId = DeskWorld.Community, name = person, phone = locale == "en-US" ? "13800137011" : "13800137012", username = $"town-joiner-{locale.ToLowerInvariant()}", password = Password },
            System.Net.HttpStatusCode.Created);
        var expected = (waiting + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(badge).ToHaveTextAsync(expected);
        await Assertions.Expect(menu.GetByLabel(locale == "en-US" ? $"{expected} waiting" : $"{expected} 条待审核")).ToBeVisibleAsync();
        Assert.Equal(waiting + 1, (await staff.GetOk<ApplicationPage>($"/api/places/{DeskWorld.Town}/applications?status=waiting&pageSize=1")).Total);
        if (locale == "zh-CN")
        {
            await Screenshot(desk, "desk-town-report-in-badge");
        }

        // Opened from the badge, the report-in is there to decide, named.
        await menu.ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Group, new() { Name = person, Exact = true })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("zh-CN", "person", "请到户籍所在社区报到")]
    [InlineData("en-US", "person", "Please report in where you live")]
    [InlineData("zh-CN", "unit", "贵单位已在东方社区报到")]
    [InlineData("en-US", "unit", "Your unit already reports to Dongfang")]
    public async Task A_rejected_applicant_is_shown_the_reason(string locale, string kind, string reason)
    {
        var words = locale == "en-US" ? English : Chinese;
        var username = $"rejected-{kind}-{locale.ToLowerInvariant()}";
        var person = (kind, locale) switch
        {
            ("person", "en-US") => "Li Ming",
            ("person", _) => "李明",
            (_, "en-US") => "Qian Hua",
            _ => "钱华",
        };
        using var anonymous = Fixture.Dispatch.Anonymous();
        var applied = await anonymous.PostOk<JsonObject>(
            "/api/applications",
            new
            {
                kind, communityId = "m1", name = person, phone = $"139000{(kind == "unit" ? 3 : 1)}{(locale == "en-US" ? 1 : 2)}111", username, password = Password,
                unit = kind == "unit" ? "那吉镇邮政所" : null, offers = kind == "unit" ? new[] { "快递代收" } : [],
            },
            System.Net.HttpStatusCode.Created);
        var texts = locale == "en-US" ? En : Zh;
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
        if (kind == "person")
        {
            await TheTrailShowsWhoDecided(desk, locale, person, reason);
        }

        var page = await NewPage(locale, viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app");
        await page.GetByRole(AriaRole.Textbox, new() { Name = words.Username, Exact = true }).FillAsync(username);
        await page.GetByLabel(words.Password, new() { Exact = true }).FillAsync(Password);
        await Button(page, locale == "en-US" ? "Sign in" : "登录").ClickAsync();

        await Assertions.Expect(page.GetByText(words.Rejected, new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(reason, new() { Exact = false })).ToBeVisibleAsync();
        if (kind == "person")
        {
            await Screenshot(page, $"app-rejected-{(locale == "en-US" ? "en" : "zh")}");
        }
    }

    /// <summary>
    /// The application's details in the desk hold its audit trail: who reported in and who
    /// rejected it, by display name (staff-t1 is "User staff-t1"), when, and the reason.
    /// </summary>
    private static async Task TheTrailShowsWhoDecided(IPage desk, string locale, string person, string reason)
    {
        var english = locale == "en-US";
        // The reason's dialog closes first: until then its overlay takes the clicks.
        await Assertions.Expect(desk.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await desk.GetByRole(AriaRole.Radio, new() { Name = english ? "Rejected" : "未通过", Exact = true }).CheckAsync(new() { Force = true });
        await Button(desk, $"{(english ? "Details" : "详情")} {person}").ClickAsync();
        var entries = desk.GetByRole(AriaRole.List, new() { Name = english ? "Audit trail" : "审核记录", Exact = true }).GetByRole(AriaRole.Listitem);
        await Assertions.Expect(entries).ToHaveCountAsync(2);
        await Assertions.Expect(entries.Nth(0)).ToContainTextAsync(english ? $"{person} reported in" : $"{person} 提交报到申请");
        await Assertions.Expect(entries.Nth(1)).ToContainTextAsync(english ? "User staff-t1 rejected it" : "User staff-t1 审核不通过");
        await Assertions.Expect(entries.Nth(1)).ToContainTextAsync(english ? $"Reason: {reason}" : $"原因：{reason}");
        // When, in the reader's locale: "2026年12月7日 10:05" or "Dec 7, 2026, 10:05 AM".
        await Assertions.Expect(entries.Nth(1)).ToContainTextAsync(new System.Text.RegularExpressions.Regex(english ? @"[A-Z][a-z]{2} \d{1,2}, \d{4}" : @"\d{4}年\d{1,2}月\d{1,2}日"));
        if (!english)
        {
            // Once the drawer has slid all the way in.
            await Assertions.Expect(desk.GetByRole(AriaRole.Dialog, new() { Name = $"{person}的报到申请" })).ToBeInViewportAsync(new() { Ratio = 1 });
            await Screenshot(desk, "console-application-trail");
        }
    }

    private static ILocator Field(IPage page, string label) => page.GetByRole(AriaRole.Textbox, new() { Name = label, Exact = true });
}
