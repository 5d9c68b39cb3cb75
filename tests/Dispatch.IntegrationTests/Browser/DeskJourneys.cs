using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The staff desk (/console), one journey per task a staff member does there, each in Chinese and in
/// English at 1366×768, finding every control by its accessible name. The main pages are
/// photographed in Chinese into docs/screenshots.
/// </summary>
public sealed partial class DeskJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private static readonly ViewportSize Desk = new() { Width = 1366, Height = 768 };

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_sign_in_stay_signed_in_across_a_reload_and_sign_out(string locale)
    {
        var page = await NewPage(locale, viewport: Desk);
        await page.GotoAsync($"{BaseAddress}console");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/signin"));
        await SignIn(page, DeskWorld.Staff, TextsOf(locale));

        // The header names the person, their role and their place: names, never ids.
        var who = page.GetByRole(AriaRole.Group, new() { Name = T(locale, "当前用户", "Signed in as"), Exact = true });
        await Assertions.Expect(who).ToContainTextAsync(DeskWorld.StaffName);
        await Assertions.Expect(who).ToContainTextAsync(T(locale, "工作人员", "Staff"));
        await Assertions.Expect(who).ToContainTextAsync(DeskWorld.TownName);
        await Assertions.Expect(who).Not.ToContainTextAsync(DeskWorld.Town);

        await page.ReloadAsync();
        await Assertions.Expect(Button(page, TextsOf(locale).SignOut)).ToBeVisibleAsync();
        await Assertions.Expect(who).ToContainTextAsync(DeskWorld.StaffName);

        await Button(page, TextsOf(locale).SignOut).ClickAsync();
        await Assertions.Expect(Button(page, TextsOf(locale).SignIn)).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('dispatch.token')"));
        await page.ReloadAsync();
        await Assertions.Expect(Button(page, TextsOf(locale).SignIn)).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_pick_a_place_from_the_tree_and_climb_the_breadcrumb(string locale)
    {
        var page = await SignedIn(locale, "console");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "选择地点", "Choose a place") }).ClickAsync();

        var tree = page.GetByRole(AriaRole.Tree, new() { Name = T(locale, "我的管辖范围", "Places in my scope") });
        await tree.GetByRole(AriaRole.Treeitem, new() { Name = DeskWorld.CommunityName }).ClickAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-places");
        }

        await Button(page, T(locale, "查看该地点看板", "Open this place's board")).ClickAsync();

        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "实时看板：", "Live board: ") + DeskWorld.CommunityName);
        var ladder = page.GetByRole(AriaRole.Navigation, new() { Name = T(locale, "层级导航", "Place ladder") });
        await Assertions.Expect(ladder).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(string.Join(".*", DeskWorld.Ladder)));

        // Up the ladder, as far as the staff member's scope goes: their town is a link, the county is not.
        await Assertions.Expect(ladder.GetByRole(AriaRole.Link, new() { Name = "阿荣旗" })).ToHaveCountAsync(0);
        await ladder.GetByRole(AriaRole.Link, new() { Name = DeskWorld.TownName }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "实时看板：", "Live board: ") + DeskWorld.TownName);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_watch_the_live_board_and_filter_it(string locale)
    {
        using var staff = await Staff();
        using var volunteer = await Fixture.Dispatch.LoginAs(DeskWorld.Runner, World.Password);
        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await Assertions.Expect(page.GetByText(T(locale, "实时", "Live"), new() { Exact = true })).ToBeVisibleAsync();

        var wish = await Publish(staff, T(locale, "给留守儿童小明送保温杯", "A thermos cup for Xiao Ming"), "wish", "normal", "生活用品");
        var errand = await Publish(staff, T(locale, "帮高大爷预约体检", "Book a check-up for Grandpa Gao"), "errand", "critical", "健康");
        var open = Column(page, "open");
        await Assertions.Expect(Card(open, wish.Title)).ToBeVisibleAsync();
        await Assertions.Expect(Card(open, errand.Title)).ToContainTextAsync(T(locale, "特急", "Critical"));
        await Assertions.Expect(Card(open, errand.Title)).ToContainTextAsync(T(locale, "帮办代办", "Errand"));
        await Assertions.Expect(Card(open, errand.Title)).ToContainTextAsync(DeskWorld.CommunityName);

        // A claim made elsewhere moves the card, live, naming the claimant.
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        var claimed = Column(page, "claimed");
        await Assertions.Expect(Card(claimed, wish.Title)).ToContainTextAsync(DeskWorld.RunnerName);
        await Assertions.Expect(claimed.GetByRole(AriaRole.Heading)).ToHaveTextAsync(T(locale, "已认领", "Claimed"));

        // Filters narrow what is loaded: the kind, then the text.
        var kind = page.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "类型", "Kind"), Exact = true });
        await kind.ClickAsync(new() { Force = true }); // its placeholder lies over it
        await page.GetByRole(AriaRole.Option, new() { Name = T(locale, "帮办代办", "Errand"), Exact = true }).ClickAsync();
        await Assertions.Expect(Card(open, errand.Title)).ToBeVisibleAsync();
        await Assertions.Expect(Card(claimed, wish.Title)).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "在已加载的需求中搜索", "Search the loaded requests") }).FillAsync("no such words");
        await Assertions.Expect(Card(open, errand.Title)).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "在已加载的需求中搜索", "Search the loaded requests") }).FillAsync(errand.Title[..4]);
        await Assertions.Expect(Card(open, errand.Title)).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "在已加载的需求中搜索", "Search the loaded requests") }).FillAsync("");
        await page.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "社区", "Community"), Exact = true }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = DeskWorld.CommunityName, Exact = true }).ClickAsync();
        await Assertions.Expect(Card(open, errand.Title)).ToBeVisibleAsync();

        // The card counts down to its deadline; urgency, category and "overdue only" narrow the board too.
        await Assertions.Expect(Card(open, errand.Title)).ToContainTextAsync(new System.Text.RegularExpressions.Regex(T(locale, "剩余 |已超期 ", "due in |past due")));
        await Choose("紧急程度", "Urgency", "一般", "Normal");
        await Assertions.Expect(Card(open, errand.Title)).ToHaveCountAsync(0);
        await Choose("紧急程度", "Urgency", "特急", "Critical");
        await Assertions.Expect(Card(open, errand.Title)).ToBeVisibleAsync();
        await Choose("类别", "Category", "生活用品", "生活用品");
        await Assertions.Expect(Card(open, errand.Title)).ToHaveCountAsync(0);
        await Choose("类别", "Category", "健康", "健康");
        await Assertions.Expect(Card(open, errand.Title)).ToBeVisibleAsync();
        // Element Plus draws its own box over the native checkbox: the label is what a person clicks.
        var overdueOnly = page.GetByRole(AriaRole.Checkbox, new() { Name = T(locale, "只看超时", "Overdue only") });
        var overdueLabel = page.GetByText(T(locale, "只看超时", "Overdue only"), new() { Exact = true });
        await overdueLabel.ClickAsync();
        await Assertions.Expect(overdueOnly).ToBeCheckedAsync();
        await Assertions.Expect(Card(open, errand.Title)).ToHaveCountAsync(0);
        await overdueLabel.ClickAsync();
        await Assertions.Expect(overdueOnly).Not.ToBeCheckedAsync();
        await Assertions.Expect(Card(open, errand.Title)).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(Card(Column(page, "claimed"), wish.Title)).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-board");
        }

        async Task Choose(string filterZh, string filterEn, string optionZh, string optionEn)
        {
            await page.GetByRole(AriaRole.Combobox, new() { Name = T(locale, filterZh, filterEn), Exact = true }).ClickAsync(new() { Force = true });
            await page.GetByRole(AriaRole.Option, new() { Name = T(locale, optionZh, optionEn), Exact = true }).ClickAsync();
        }
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_open_a_request_with_its_contact_check_in_code_and_history_in_words(string locale)
    {
        using var staff = await Staff();
        using var volunteer = await Fixture.Dispatch.LoginAs(DeskWorld.Runner, World.Password);
        var wish = await Publish(staff, T(locale, "给独居的吴奶奶送米面", "Rice and flour for Granny Wu"), "wish", "urgent", "生活用品");
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");

        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await Card(Column(page, "claimed"), wish.Title).ClickAsync();
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = wish.Title, Exact = true });
        await Assertions.Expect(drawer).ToBeVisibleAsync();
        await Assertions.Expect(drawer).ToContainTextAsync(wish.CheckInCode!);
        await Assertions.Expect(drawer).ToContainTextAsync("吴秀兰");
        await Assertions.Expect(drawer).ToContainTextAsync("13900001111");
        await Assertions.Expect(drawer).ToContainTextAsync(DeskWorld.CommunityName);
        await Assertions.Expect(drawer).ToContainTextAsync(T(locale, "环节时限（开始办理）", "Stage deadline (start)"));
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-request");
        }

        await drawer.GetByRole(AriaRole.Tab, new() { Name = T(locale, "办理记录", "History") }).ClickAsync();
        var history = drawer.GetByRole(AriaRole.List, new() { Name = T(locale, "需求办理记录", "History of the request") });
        var stored = await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        await Assertions.Expect(history.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(stored.Length);
        await Assertions.Expect(history.GetByRole(AriaRole.Listitem).First).ToContainTextAsync(T(locale, $"{DeskWorld.StaffName} · 发布了需求", $"{DeskWorld.StaffName} · published the request"));
        await Assertions.Expect(history.GetByRole(AriaRole.Listitem).Last).ToContainTextAsync(T(locale, $"{DeskWorld.RunnerName} · 认领了需求", $"{DeskWorld.RunnerName} · claimed it"));

        // The contact was shown: the read is recorded under the staff member's name.
        var reads = await staff.GetOk<JsonArray>($"/api/requests/{wish.Id}/contact-reads");
        Assert.Contains(reads, r => r!["by"]!.GetValue<string>() == DeskWorld.Staff);

        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(drawer).ToBeHiddenAsync();

        // A card is a button: the keyboard opens it too.
        await Card(Column(page, "claimed"), wish.Title).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(drawer).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_publish_a_request_with_messages_beside_the_fields_at_fault(string locale)
    {
        ExpectConsoleError("400"); // Chromium reports the refused publication (the long category) as a failed load.
        using var staff = await Staff();
        var page = await SignedIn(locale, "console");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "发布需求", "Publish a request") }).ClickAsync();
        var publish = Button(page, T(locale, "发布", "Publish"));
        await publish.ClickAsync();

        // Nothing filled in: each required field says so beside itself, in the reader's language.
        await Assertions.Expect(page.GetByText(T(locale, "请填写标题。", "Title is required."), new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(T(locale, "请填写服务对象姓名。", "Beneficiary's name is required."), new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(T(locale, "请填写所属社区。", "Community is required."), new() { Exact = true })).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-publish-refused");
        }

        var title = T(locale, "义务理发进社区", "Free haircuts in the square");
        await page.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "所属社区", "Community") }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = DeskWorld.CommunityName, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = T(locale, "微心愿", "Wish"), Exact = true }).CheckAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "标题", "Title"), Exact = true }).FillAsync(title);
        await page.GetByLabel(T(locale, "需求描述", "Description"), new() { Exact = true }).FillAsync(T(locale, "为行动不便的老人上门理发。", "Haircuts at home for elderly people who cannot go out."));
        var categories = page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "类别", "Categories"), Exact = true });
        await categories.FillAsync("理发");
        await categories.PressAsync("Enter");

        // A category longer than the server takes (50 characters) is only caught by the server: its
        // problem details name the field, and the message stands beside it, in the reader's language.
        await categories.FillAsync(new string('长', 51));
        await categories.PressAsync("Enter");
        await page.GetByRole(AriaRole.Radio, new() { Name = T(locale, "紧急", "Urgent"), Exact = true }).CheckAsync(new() { Force = true });
        var places = page.GetByRole(AriaRole.Spinbutton, new() { Name = T(locale, "名额", "Places"), Exact = true });
        await places.FillAsync("6");
        await places.BlurAsync();

        // Six places are for a group activity only: said beside the places, before anything is sent.
        await Assertions.Expect(page.GetByText(T(locale, "只有组团服务可以设置多个名额。", "Only a group activity has more than one place."), new() { Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = T(locale, "组团服务", "Group activity"), Exact = true }).CheckAsync(new() { Force = true });
        await places.FocusAsync();
        await places.BlurAsync();
        await Assertions.Expect(page.GetByText(T(locale, "只有组团服务可以设置多个名额。", "Only a group activity has more than one place."), new() { Exact = true })).ToHaveCountAsync(0);
        var points = page.GetByRole(AriaRole.Spinbutton, new() { Name = T(locale, "积分", "Points"), Exact = true });
        await points.FillAsync("20000");
        await points.BlurAsync();
        await Assertions.Expect(page.GetByText(T(locale, "积分应在 0 到 10000 之间。", "Points must be between 0 and 10000."), new() { Exact = true })).ToBeVisibleAsync();
        await points.FillAsync("5");
        await points.BlurAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "服务对象姓名", "Beneficiary's name"), Exact = true }).FillAsync(T(locale, "新华社区居民", "Xinhua residents"));
        await page.GetByLabel(T(locale, "服务对象地址", "Beneficiary's address"), new() { Exact = true }).FillAsync(T(locale, "新华社区文化广场", "Xinhua culture square"));
        await publish.ClickAsync();
        await Assertions.Expect(page.GetByText(
            T(locale, "类别填写有误，请检查后重新提交。", "Categories: Each category must be non-empty and at most 50 characters."),
            new() { Exact = true })).ToBeVisibleAsync();
        await categories.PressAsync("Backspace"); // drops the last category, the long one
        await publish.ClickAsync();

        // Published: the board opens it, with its check-in code.
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = title, Exact = true });
        await Assertions.Expect(drawer).ToBeVisibleAsync();
        var created = await Eventually.Get(
            () => staff.GetOk<JsonObject>($"/api/communities/{DeskWorld.Community}/requests?pageSize=100&kind=activity"),
            list => list["items"]!.AsArray().Any(i => i!["title"]!.GetValue<string>() == title));
        var item = created["items"]!.AsArray().First(i => i!["title"]!.GetValue<string>() == title)!;
        var stored = await staff.GetOk<RequestView>($"/api/requests/{item["id"]!.GetValue<string>()}");
        Assert.Equal(6, stored.Places);
        Assert.Equal(5, stored.Points);
        Assert.Equal(new[] { "理发" }, stored.Categories.ToArray());
        Assert.Equal(Urgency.Urgent, stored.Urgency);
        await Assertions.Expect(drawer).ToContainTextAsync(stored.CheckInCode!);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_dispatch_to_a_ranked_candidate_and_see_the_answer_live_then_auto_dispatch(string locale)
    {
        using var staff = await Staff();
        using var helper = await Fixture.Dispatch.LoginAs(DeskWorld.Helper, World.Password);
        var wish = await Publish(staff, T(locale, "给刘大娘送一袋大米", "A sack of rice for Auntie Liu"), "wish", "normal", DeskWorld.Skill);

        // The helper's phone is open in the volunteer app: it will acknowledge the offer when it arrives.
        var phone = await NewPage(locale, viewport: AppJourneys.Phone);
        await phone.GotoAsync($"{BaseAddress}app");
        await SignIn(phone, DeskWorld.Helper, locale.StartsWith("zh", StringComparison.Ordinal) ? Zh : En);
        await Assertions.Expect(phone.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex(T(locale, "^通知", "^Notifications")) })).ToBeVisibleAsync();

        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}?request={wish.Id}");
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = wish.Title, Exact = true });
        await drawer.GetByRole(AriaRole.Tab, new() { Name = T(locale, "派单", "Dispatch") }).ClickAsync();

        // The volunteer whose skill matches comes first, with the reason in words.
        var candidates = drawer.GetByRole(AriaRole.Table).Last;
        var first = drawer.Locator(".el-table__body tr").First;
        await Assertions.Expect(first).ToContainTextAsync(DeskWorld.HelperName);
        await Assertions.Expect(first).ToContainTextAsync(T(locale, "技能匹配 +20", "Skills match +20"));
        await Assertions.Expect(candidates).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-dispatch");
        }

        await Button(drawer, T(locale, $"派给 {DeskWorld.HelperName}", $"Offer to {DeskWorld.HelperName}")).ClickAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"已派给 {DeskWorld.Helper}", $"Offered to {DeskWorld.Helper}"));
        await Assertions.Expect(drawer).ToContainTextAsync(T(locale, "答复剩余", "Answer due in"));

        // The offer reached the helper's phone: the desk sees the answer time now counts from then.
        await Assertions.Expect(drawer.Locator(".offer .reached")).ToContainTextAsync(T(locale, "已送达志愿者手机，答复时限自此起算", "On the volunteer's phone since"));
        var reached = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.NotNull(reached.Offer?.ReachedAt);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-offer-reached");
        }

        // The volunteer says no elsewhere: the drawer shows it without a reload.
        await helper.PostOk<RequestView>($"/api/requests/{wish.Id}/offer/decline", new { reason = "不在家" });
        await Assertions.Expect(drawer).ToContainTextAsync(T(locale, $"最新结果：{DeskWorld.HelperName} · 谢绝派单", $"Latest outcome: {DeskWorld.HelperName} · declined the offer"));

        await Button(drawer, T(locale, "自动派单给最佳人选", "Auto-dispatch to the best candidates")).ClickAsync();
        await Assertions.Expect(drawer).ToContainTextAsync(T(locale, "答复剩余", "Answer due in"));
        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.NotNull(stored.Offer);
        Assert.True(stored.Offer.Auto);
        Assert.Equal(DeskWorld.Staff, stored.Offer.By);
        await Assertions.Expect(drawer).ToContainTextAsync(T(locale, $"已派给 {stored.Offer.Volunteer}", $"Offered to {stored.Offer.Volunteer}"));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_take_up_a_live_escalation_hand_it_over_and_a_colleague_accepts(string locale)
    {
        using var staff = await Staff();
        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await Assertions.Expect(page.GetByText(T(locale, "实时", "Live"), new() { Exact = true })).ToBeVisibleAsync();

        // Urgent errands must be claimed within two seconds (see the fixture): move the host's clock past that.
        var errand = await Publish(staff, T(locale, "修好孤寡老人家的暖气", "Fix the heating of a lonely old man"), "errand", "urgent", "维修");
        Fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        var escalated = await Eventually.Get(() => staff.GetOk<RequestView>($"/api/requests/{errand.Id}"), r => r.EscalationLevel >= 1);
        Assert.True(escalated.Overdue);

        // The alert arrives live: a badge on the menu, a row on the alerts page.
        var alerts = page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "预警", "Alerts") });
        await Assertions.Expect(alerts).ToContainTextAsync(new System.Text.RegularExpressions.Regex("[0-9]+"));
        await alerts.ClickAsync();
        await page.GetByRole(AriaRole.Table).GetByText(errand.Title, new() { Exact = true }).ClickAsync();
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = errand.Title, Exact = true });
        await Button(drawer, T(locale, "响应", "Acknowledge")).ClickAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "已响应：您是首问负责人。", "Taken up: you are the owner."));

        await Button(drawer, T(locale, "移交", "Hand over")).ClickAsync();
        // The colleague is picked by name from the staff whose scope covers the request: the town's
        // staff are listed, the owner is not, nor anybody of another community.
        var colleagueName = $"{DeskWorld.ColleagueName}{T(locale, "（", " (")}{DeskWorld.TownName}{T(locale, "）", ")")}";
        var receiver = drawer.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "移交给同事", "Colleague"), Exact = true });
        await receiver.ClickAsync(new() { Force = true });
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = colleagueName, Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = DeskWorld.StaffName, Exact = false })).ToHaveCountAsync(0);
        await receiver.FillAsync("赵");
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = colleagueName, Exact = true })).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-alert-handover");
        }

        await page.GetByRole(AriaRole.Option, new() { Name = colleagueName, Exact = true }).ClickAsync();
        await Button(drawer, T(locale, "发起移交", "Offer the handover")).ClickAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"已向 {DeskWorld.ColleagueName} 发起移交。", $"Handover offered to {DeskWorld.ColleagueName}."));
        await Assertions.Expect(drawer).ToContainTextAsync(DeskWorld.ColleagueName);
        Assert.Equal(DeskWorld.Colleague, (await staff.GetOk<RequestView>($"/api/requests/{errand.Id}")).HandoverTo);

        // The colleague finds it waiting on their alerts page and accepts it.
        var colleague = await NewPage(locale, viewport: Desk);
        await colleague.GotoAsync($"{BaseAddress}console/alerts");
        await SignIn(colleague, DeskWorld.Colleague, TextsOf(locale));
        var waiting = colleague.GetByRole(AriaRole.Group, new() { Name = errand.Title, Exact = true });
        await Button(waiting, T(locale, "有待您接受的移交", "A handover is waiting for you")).ClickAsync();
        var theirs = colleague.GetByRole(AriaRole.Dialog, new() { Name = errand.Title, Exact = true });
        await Button(theirs, T(locale, "接受移交", "Accept the handover")).ClickAsync();
        await Assertions.Expect(theirs.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "您已成为该需求的负责人。", "You now own this request."));

        var stored = await staff.GetOk<RequestView>($"/api/requests/{errand.Id}");
        Assert.Equal(DeskWorld.Colleague, stored.Owner);
        Assert.Contains(DeskWorld.Staff, stored.Supervisors);

        // The alert sound can be muted, and stays muted after a reload.
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(drawer).ToBeHiddenAsync();
        await Button(page, T(locale, "关闭预警提示音", "Mute the alert sound")).ClickAsync();
        await Assertions.Expect(Button(page, T(locale, "开启预警提示音", "Turn the alert sound on"))).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(Button(page, T(locale, "开启预警提示音", "Turn the alert sound on"))).ToBeVisibleAsync();
        await Button(page, T(locale, "开启预警提示音", "Turn the alert sound on")).ClickAsync();
        await Assertions.Expect(Button(page, T(locale, "关闭预警提示音", "Mute the alert sound"))).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_verify_a_completion_with_a_rating_and_a_comment(string locale)
    {
        using var staff = await Staff();
        using var volunteer = await Fixture.Dispatch.LoginAs(DeskWorld.Finisher, World.Password);
        var wish = await Publish(staff, T(locale, "给张爷爷读报", "Read the paper to Grandpa Zhang"), "wish", "normal", "陪护");
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "读了两份报纸" });

        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await Card(Column(page, "completed"), wish.Title).ClickAsync();
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = wish.Title, Exact = true });
        await drawer.GetByRole(AriaRole.Tab, new() { Name = T(locale, "核实", "Verification") }).ClickAsync();
        var rating = drawer.GetByRole(AriaRole.Slider, new() { Name = T(locale, "评分", "Rating") });
        await rating.FocusAsync();
        for (var i = 0; i < 4; i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }

        await drawer.GetByLabel(T(locale, "评语", "Comment"), new() { Exact = true }).FillAsync(T(locale, "老人很满意", "He was very pleased"));
        await Button(drawer, T(locale, "核实通过", "Approve")).ClickAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "已核实，认领人已获得积分。", "Verified. The claimants are credited."));
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(Card(Column(page, "completed"), wish.Title)).ToHaveCountAsync(0);

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Verified, stored.Status);
        Assert.NotNull(stored.Verification);
        Assert.Equal(4, stored.Verification.Rating);
        Assert.Equal(T(locale, "老人很满意", "He was very pleased"), stored.Verification.Comment);

        // Found wanting later: the verification is overturned, with a comment, and the work is back in progress.
        await page.GotoAsync($"{BaseAddress}console/board/{DeskWorld.Town}?request={wish.Id}");
        await drawer.GetByRole(AriaRole.Tab, new() { Name = T(locale, "核实", "Verification") }).ClickAsync();
        await drawer.GetByLabel(T(locale, "评语", "Comment"), new() { Exact = true }).FillAsync(T(locale, "家属反映没有读完", "The family says it was cut short"));
        await Button(drawer, T(locale, "撤销核实", "Overturn the verification")).ClickAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "已撤销核实。", "Verification overturned."));
        Assert.Equal(RequestStatus.InProgress, (await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Status);

        // Completed again but not good enough: rejected with a comment, and back in progress once more.
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "补读了一份" });
        await page.GotoAsync($"{BaseAddress}console/board/{DeskWorld.Town}?request={wish.Id}");
        await drawer.GetByRole(AriaRole.Tab, new() { Name = T(locale, "核实", "Verification") }).ClickAsync();
        await drawer.GetByLabel(T(locale, "评语", "Comment"), new() { Exact = true }).FillAsync(T(locale, "还差一份没读", "One paper is still unread"));
        await Button(drawer, T(locale, "退回", "Reject")).ClickAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "已退回，重新进入办理。", "Sent back: in progress again."));
        var rejected = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.InProgress, rejected.Status);
        Assert.Equal(T(locale, "还差一份没读", "One paper is still unread"), rejected.Verification?.Comment);
        Assert.False(rejected.Verification?.Approved);
    }

    [Fact]
    public async Task The_desk_acts_after_the_access_token_expired_and_refreshes_it()
    {
        using var staff = await Staff();
        var wish = await Publish(staff, "给李奶奶买药", "wish", "normal", "买药");

        // The browser's clock starts at the host's, so that the two agree on when the token expires.
        // The desk opens two live connections (the board's feed, then the inbox): both must be made
        // before the clocks move, or one negotiated with the old token is refused at its upgrade.
        var connected = 0;
        var bothConnected = new TaskCompletionSource();
        var page = await NewPage(
            "zh-CN",
            async p =>
            {
                p.WebSocket += (_, socket) =>
                {
                    var answered = 0;
                    socket.FrameReceived += (_, _) =>
                    {
                        if (Interlocked.Exchange(ref answered, 1) == 0 && Interlocked.Increment(ref connected) == 2)
                        {
                            bothConnected.TrySetResult();
                        }
                    };
                };
                await p.Clock.InstallAsync(new() { TimeDate = Fixture.Clock.GetUtcNow().UtcDateTime });
            },
            Desk);
        await page.GotoAsync($"{BaseAddress}console/board/{DeskWorld.Town}");
        await SignIn(page, DeskWorld.Staff, Zh);
        await Assertions.Expect(Card(Column(page, "open"), wish.Title)).ToBeVisibleAsync();
        await bothConnected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var before = await page.EvaluateAsync<string>("() => sessionStorage.getItem('dispatch.refresh')");

        // Sixteen minutes later on both clocks: the access token is dead on the host. The browser's
        // clock moves first, so that a hub connection the host drops reconnects with a fresh token.
        var refreshed = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/auth/refresh", StringComparison.Ordinal));
        await page.Clock.SetSystemTimeAsync(Fixture.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(16));
        Fixture.Clock.Advance(TimeSpan.FromMinutes(16));
        await Card(Column(page, "open"), wish.Title).ClickAsync();

        Assert.Equal(200, (await refreshed).Status);
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = wish.Title, Exact = true });
        await Assertions.Expect(drawer).ToContainTextAsync("吴秀兰");
        Assert.NotEqual(before, await page.EvaluateAsync<string>("() => sessionStorage.getItem('dispatch.refresh')"));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_cancel_an_open_request_with_a_reason(string locale)
    {
        using var staff = await Staff();
        var wish = await Publish(staff, T(locale, "给新华小学捐旧书（重复登记）", "Old books for the school (entered twice)"), "wish", "normal", "图书");
        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await Card(Column(page, "open"), wish.Title).ClickAsync();
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = wish.Title, Exact = true });
        await Button(drawer, T(locale, "取消需求", "Cancel the request")).ClickAsync();
        var confirm = Button(drawer, T(locale, "确认取消", "Cancel it"));
        await Assertions.Expect(confirm).ToBeDisabledAsync();
        await drawer.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "取消原因", "Reason for cancelling"), Exact = true }).FillAsync(T(locale, "重复登记", "Entered twice"));
        await confirm.ClickAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "需求已取消。", "The request is cancelled."));
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(Card(Column(page, "open"), wish.Title)).ToHaveCountAsync(0);

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Cancelled, stored.Status);
        Assert.Equal(T(locale, "重复登记", "Entered twice"), stored.CancelReason);
    }

    private static string T(string locale, string zh, string en) => locale.StartsWith("zh", StringComparison.Ordinal) ? zh : en;

    private static Texts TextsOf(string locale) => locale.StartsWith("zh", StringComparison.Ordinal) ? Zh : En;

    private Task<DispatchClient> Staff() => Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password);

    private async Task<IPage> SignedIn(string locale, string path)
    {
        var page = await NewPage(locale, viewport: Desk);
        await page.GotoAsync($"{BaseAddress}{path}");
        await SignIn(page, DeskWorld.Staff, TextsOf(locale));
        return page;
    }

    private static Task<RequestView> Publish(DispatchClient staff, string title, string kind, string urgency, string category) =>
        staff.PostOk<RequestView>(
            "/api/requests",
            new
            {
                communityId = DeskWorld.Community,
                kind,
                title,
                description = "独居老人，行动不便。",
                categories = new[] { category },
                urgency,
                points = 10,
                beneficiary = new { name = "吴秀兰", phone = "13900001111", address = "新华社区3号楼2单元" },
            },
            HttpStatusCode.Created);

    private static ILocator Heading(IPage page) => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    /// <summary>A column of the board: a region named by its status heading, marked with its status.</summary>
    private static ILocator Column(IPage page, string status) => page.Locator($"[data-status='{status}']");

    /// <summary>A card on the board: a button named by the request's title.</summary>
    private static ILocator Card(ILocator column, string title) =>
        column.GetByRole(AriaRole.Button, new() { Name = title, Exact = true });
}
