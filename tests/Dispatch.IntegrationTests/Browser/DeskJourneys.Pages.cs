using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The desk's pages beyond the board (issue #18 items 2, 5, 10, 11, 13, 14, 17): the place tree
/// with counts, volunteers, statistics, policies, and editing and releasing in the request drawer.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Admins_see_the_place_tree_with_counts_and_add_and_rename_a_place(string locale)
    {
        var page = await SignedIn(locale, "console/places", DeskWorld.Admin);
        var tree = page.GetByRole(AriaRole.Tree, new() { Name = T(locale, "我的管辖范围", "Places in my scope") });

        // Every region, each with its counts; the town below the county.
        await Assertions.Expect(tree.GetByText("呼伦贝尔市", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(tree).ToContainTextAsync(T(locale, "志愿者", "volunteers"));
        await tree.GetByText("阿荣旗", new() { Exact = true }).ClickAsync();
        await tree.GetByText(DeskWorld.TownName, new() { Exact = true }).ClickAsync();

        // A new community below the town, then a better name for it.
        var (id, name, renamed) = Pick(locale, ("xingfu", "幸福社区", "幸福里社区"), ("xingfu-en", "Xingfu Community", "Xingfu Lane Community"));
        await Button(page, T(locale, "在此新增嘎查村/社区", "Add here: Community")).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, "新增嘎查村/社区", "New Community") });
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "编号（用于网址，创建后不可更改）", "Id (used in addresses, never changes)") }).FillAsync(id);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "名称", "Name"), Exact = true }).FillAsync(name);
        await Button(dialog, T(locale, "保存", "Save")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"已新增{name}。", $"{name} was added."));
        await tree.GetByText(name, new() { Exact = true }).ClickAsync();

        await Button(page, T(locale, "重命名", "Rename")).ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, $"重命名：{name}", $"Rename {name}") });
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "名称", "Name"), Exact = true }).FillAsync(renamed);
        await Button(dialog, T(locale, "保存", "Save")).ClickAsync();
        await Assertions.Expect(tree.GetByText(renamed, new() { Exact = true })).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-places-admin");
        }

        using var admin = await Fixture.Dispatch.Admin();
        var stored = await admin.GetOk<JsonObject>($"/api/places/{id}");
        Assert.Equal((renamed, DeskWorld.Town), (stored["name"]!.GetValue<string>(), stored["parentId"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_find_register_and_look_after_the_volunteers_of_their_place(string locale)
    {
        var page = await SignedIn(locale, "console/volunteers");
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "志愿者：", "Volunteers: ") + DeskWorld.TownName);
        var table = page.GetByRole(AriaRole.Main);
        await Assertions.Expect(table).ToContainTextAsync(DeskWorld.HelperName);

        // Register one; they appear by name, in their community.
        var (username, name) = Pick(locale, ("sun-li", "孙丽"), ("sun-li-en", "Sun Li"));
        await Button(page, T(locale, "登记志愿者", "Register a volunteer")).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, "登记志愿者", "Register a volunteer") });
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "姓名", "Name"), Exact = true }).FillAsync(name);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "用户名（登录用）", "Username (for signing in)") }).FillAsync(username);
        await dialog.GetByLabel(T(locale, "初始密码（至少8位）", "First password (at least 8 characters)")).FillAsync(World.Password);
        await dialog.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "所属社区", "Community"), Exact = true }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = DeskWorld.CommunityName, Exact = true }).ClickAsync();
        await Button(dialog, T(locale, "登记", "Register")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"已登记{name}。", $"{name} is registered."));

        // Search narrows the list to them.
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "按姓名或用户名搜索", "Search by name or username") }).FillAsync(name);
        await Button(page, T(locale, "搜索", "Search")).ClickAsync();
        await Assertions.Expect(table).ToContainTextAsync(DeskWorld.CommunityName);
        await Assertions.Expect(table).Not.ToContainTextAsync(DeskWorld.HelperName);

        // Disable, enable; locked out by wrong passwords, then unlocked; a new password.
        await Button(page, T(locale, $"停用{name}", $"Disable {name}")).ClickAsync();
        await Assertions.Expect(table).ToContainTextAsync(T(locale, "已停用", "Disabled"));
        await Button(page, T(locale, $"启用{name}", $"Enable {name}")).ClickAsync();
        await Assertions.Expect(table).ToContainTextAsync(T(locale, "正常", "Active"));
        using (var stranger = Fixture.Dispatch.Anonymous())
        {
            for (var i = 0; i < 5; i++)
            {
                await stranger.Post("/api/auth/token", new { username, password = "wrong-password" });
            }
        }

        await Button(page, T(locale, "搜索", "Search")).ClickAsync();
        await Button(page, T(locale, $"解锁{name}", $"Unlock {name}")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"{name}已解锁。", $"{name} is unlocked."));
        await Button(page, T(locale, $"重置{name}的密码", $"Reset the password of {name}")).ClickAsync();
        var reset = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, $"为{name}设置新密码", $"New password for {name}") });
        await reset.GetByLabel(T(locale, "新密码（至少8位）", "New password (at least 8 characters)")).FillAsync("a-new-password-1");
        await Button(reset, T(locale, "设置密码", "Set the password")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"已为{name}设置新密码。", $"{name} has a new password."));
        // They do an errand, verified with four stars and a comment: the query store counts it.
        var errandTitle = T(locale, "帮孙大爷取药", "Fetch Mr Sun's medicine");
        var comment = T(locale, "准时送到，老人很满意", "On time, he was pleased");
        using (var volunteer = await Fixture.Dispatch.LoginAs(username, "a-new-password-1"))
        using (var staff = await Staff())
        {
            var errand = await Publish(staff, errandTitle, "errand", "normal", "跑腿");
            await volunteer.PostOk<RequestView>($"/api/requests/{errand.Id}/claim");
            await volunteer.PostOk<RequestView>($"/api/requests/{errand.Id}/start");
            await volunteer.PostOk<RequestView>($"/api/requests/{errand.Id}/complete", new { note = "送到了" });
            await staff.PostOk<RequestView>($"/api/requests/{errand.Id}/verify", new { approved = true, rating = 4, comment });
            await Eventually.Get(() => staff.GetOk<JsonObject>($"/api/volunteers/{username}/ratings"), r => r["ratings"]!.GetValue<int>() == 1);
        }

        // Their record says in words how they came to be a volunteer (the helper's is too long by now
        // for its first entry to be among the recent ones other journeys leave), and the ratings they received.
        await Button(page, T(locale, $"查看{name}的详情", $"Details of {name}")).ClickAsync();
        var record = page.GetByRole(AriaRole.Dialog, new() { Name = name, Exact = true });
        await Assertions.Expect(record).ToContainTextAsync(T(locale, "登记为志愿者", "registered"));
        var ratings = record.GetByRole(AriaRole.Region, new() { Name = T(locale, "收到的评价", "Ratings received"), Exact = true });
        await Assertions.Expect(ratings).ToContainTextAsync(T(locale, "平均 4 分，共 1 次评价", "Average 4 from one rating"));
        await Assertions.Expect(ratings.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Assertions.Expect(ratings.GetByRole(AriaRole.Listitem)).ToContainTextAsync($"{errandTitle}：{comment}");
        if (locale == "zh-CN")
        {
            await ratings.ScrollIntoViewIfNeededAsync();
            await Screenshot(page, "desk-volunteer-ratings");
        }

        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(record).ToBeHiddenAsync();

        // Moved to the town's other community: the list says where they are now.
        await Button(page, T(locale, $"调整{name}的社区", $"Move {name}")).ClickAsync();
        var moving = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, $"调整{name}的所属社区", $"Move {name} to another community") });
        await Assertions.Expect(moving).ToContainTextAsync(DeskWorld.CommunityName);
        await moving.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "调入社区", "New community"), Exact = true }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = "东方社区", Exact = true }).ClickAsync();
        await Button(moving, T(locale, "调整", "Move")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"{name}已调入东方社区。", $"{name} is now in 东方社区."));
        await Assertions.Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToContainTextAsync("东方社区");
        using (var staff = await Staff())
        {
            Assert.Equal(DeskWorld.Other, (await staff.GetOk<JsonObject>($"/api/accounts/{username}"))["placeId"]!.GetValue<string>());
        }

        // One volunteer's claims and points.
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "按姓名或用户名搜索", "Search by name or username") }).FillAsync("");
        await Button(page, T(locale, "搜索", "Search")).ClickAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-volunteers");
        }

        await Button(page, T(locale, $"查看{DeskWorld.HelperName}的详情", $"Details of {DeskWorld.HelperName}")).ClickAsync();
        var details = page.GetByRole(AriaRole.Dialog, new() { Name = DeskWorld.HelperName, Exact = true });
        await Assertions.Expect(details).ToContainTextAsync(T(locale, "余额", "Balance"));
        await Assertions.Expect(details).ToContainTextAsync(DeskWorld.Skill);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_read_the_period_statistics_with_charts_and_export_them(string locale)
    {
        using var staff = await Staff();
        await Publish(staff, T(locale, "统计：帮李大爷修水管", "Stats: fix Grandpa Li's pipe"), "errand", "normal", "维修");
        await ServeAnHour(T(locale, "统计：陪王奶奶复诊", "Stats: take Granny Wang to the clinic"));
        // The browser's clock starts at the host's: the page's default period ends on the host's today,
        // which the other journeys' clock moves may have carried past the machine's midnight.
        var page = await NewPage(locale, p => p.Clock.InstallAsync(new() { TimeDate = Fixture.Clock.GetUtcNow().UtcDateTime }), Desk);
        await page.GotoAsync($"{BaseAddress}console/statistics");
        await SignIn(page, DeskWorld.Staff, TextsOf(locale));

        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "统计分析：", "Statistics: ") + DeskWorld.TownName);
        var figures = page.GetByRole(AriaRole.List, new() { Name = T(locale, "本时段指标", "Figures of the period") });
        await Assertions.Expect(figures).ToContainTextAsync(T(locale, "需求总数", "Requests"));

        // Opened, the page asks for the period's figures once: the breakdown and the columns per day (two calls,
        // each reading every volunteer's hours), not twice over. Counted on a reload, once the figures are back:
        // the page's loads are all asked for as it mounts, before any answer.
        var asked = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/stats?", StringComparison.Ordinal))
            {
                lock (asked)
                {
                    asked.Add(new Uri(request.Url).Query);
                }
            }
        };
        await page.ReloadAsync();
        await Assertions.Expect(figures).ToContainTextAsync(T(locale, "需求总数", "Requests"));
        await Assertions.Expect(figures).ToContainTextAsync(T(locale, "服务人次", "Person-times"));
        lock (asked)
        {
            Assert.Equal(2, asked.Count);
            Assert.Single(asked, q => q.Contains("groupBy=community", StringComparison.Ordinal));
        }
        await Assertions.Expect(figures).ToContainTextAsync(T(locale, "按时率", "On-time rate"));

        // The residents' satisfaction beside staff's average rating: a share, or a dash while nobody in the
        // period rated (the residents' journeys may or may not have rated in this town before this one runs).
        await Assertions.Expect(figures).ToContainTextAsync(new System.Text.RegularExpressions.Regex(
            "(—|\\d+(\\.\\d+)?\\s?%)" + T(locale, "群众满意度", "Residents' satisfaction")));
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = T(locale, "群众满意度", "Residents' satisfaction") }).First).ToBeVisibleAsync();

        // The seed's other figures: service hours (the helper's hour at least) and person-times, then the
        // suggestions handed over and answered (on time beside them), in the reader's numbers; and per community.
        await Assertions.Expect(figures).ToContainTextAsync(new System.Text.RegularExpressions.Regex(
            "(?<![\\d.,])[1-9][\\d,]*(\\.\\d+)?" + T(locale, "服务时长（小时）", "Service hours")));
        await Assertions.Expect(figures).ToContainTextAsync(new System.Text.RegularExpressions.Regex(
            "(?<![\\d.,])[1-9][\\d,]*" + T(locale, "服务人次", "Person-times")));
        await Assertions.Expect(figures).ToContainTextAsync(new System.Text.RegularExpressions.Regex(
            "\\d[\\d,]*" + T(locale, "交办建议", "Suggestions handed over")));
        await Assertions.Expect(figures).ToContainTextAsync(new System.Text.RegularExpressions.Regex(
            "\\d[\\d,]*" + T(locale, "已办理答复", "Suggestions answered") + T(locale, "按期答复", "Answered on time") + " \\d"));
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = T(locale, "服务时长（小时）", "Service hours") }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = T(locale, "服务人次", "Person-times") }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = T(locale, "每日需求（按状态）", "Requests per day by status") }).Locator("canvas")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = T(locale, "各社区按时率", "On-time rate by Community") }).Locator("canvas")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = T(locale, "超时上报（按层级）", "Escalations by level") }).Locator("canvas")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = T(locale, "热门类别", "Top categories") }).Locator("canvas")).ToBeVisibleAsync();

        // The breakdown by community, sortable; the list and the table as files.
        var breakdown = page.GetByRole(AriaRole.Table).Filter(new() { HasText = DeskWorld.CommunityName }).First;
        await Assertions.Expect(breakdown).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Columnheader, new() { Name = T(locale, "需求总数", "Requests") }).First.ClickAsync();
        if (locale == "zh-CN")
        {
            // The figures at the top of the page, then the lower charts (escalations, categories) scrolled into view.
            await Heading(page).ScrollIntoViewIfNeededAsync();
            await Screenshot(page, "desk-statistics");
            await page.GetByRole(AriaRole.Img, new() { Name = "热门类别" }).ScrollIntoViewIfNeededAsync();
            await Screenshot(page, "desk-statistics-charts");
        }

        // Both as Excel workbooks: the table with a row per community, the list with every request of the period.
        var table = await page.RunAndWaitForDownloadAsync(() => Button(page, T(locale, "导出统计表", "Export the table")).ClickAsync());
        Assert.EndsWith(".xlsx", table.SuggestedFilename, StringComparison.Ordinal);
        var sheet = XlsxSheet.Read(await File.ReadAllBytesAsync((await table.PathAsync())!));
        Assert.Contains(sheet, row => row.Any(c => c.Text == DeskWorld.CommunityName));
        // Headers in the reader's language, not the JSON names scripts read.
        Assert.Equal(T(locale, "名称", "Name"), sheet[0][1].Text);
        Assert.Contains(sheet[0], c => c.Text == T(locale, "按时率", "On-time rate"));
        Assert.Contains(sheet[0], c => c.Text == T(locale, "服务时长（小时）", "Service hours"));
        var list = await page.RunAndWaitForDownloadAsync(() => Button(page, T(locale, "导出需求清单", "Export the requests")).ClickAsync());
        Assert.EndsWith(".xlsx", list.SuggestedFilename, StringComparison.Ordinal);
        var requests = XlsxSheet.Read(await File.ReadAllBytesAsync((await list.PathAsync())!));
        var pipe = Assert.Single(requests, row => row.Any(c => c.Text == T(locale, "统计：帮李大爷修水管", "Stats: fix Grandpa Li's pipe")));
        Assert.Equal(T(locale, "标题", "Title"), requests[0][3].Text);
        Assert.Equal(T(locale, "帮办代办", "Errand"), pipe[2].Text); // the kind by its name
    }

    /// <summary>A wish the helper claims and serves for an hour (the clock moves), verified with its hour confirmed.</summary>
    private async Task ServeAnHour(string title)
    {
        using var staff = await Staff();
        using var helper = await Fixture.Dispatch.LoginAs(DeskWorld.Helper, World.Password);
        var wish = await Publish(staff, title, "wish", "normal", "陪护");
        await helper.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await helper.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        Fixture.Clock.Advance(TimeSpan.FromMinutes(60));
        using var back = await Fixture.Dispatch.LoginAs(DeskWorld.Helper, World.Password);
        await back.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "已陪同复诊" });
        using var verifier = await Staff();
        await verifier.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 5, minutes = 60 });
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Admins_edit_a_deadline_policy_in_place(string locale)
    {
        var page = await SignedIn(locale, "console/policies", DeskWorld.Admin);
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "时限策略", "Deadline policies"));

        // Group activities at critical urgency: no other journey publishes them.
        await Button(page, T(locale, "编辑组团服务·特急", "Edit Group activity, Critical")).ClickAsync();
        var hours = Pick(locale, 3, 5);
        await page.GetByRole(AriaRole.Spinbutton, new() { Name = T(locale, "认领时限（小时）", "Claim within, in hours") }).FillAsync(hours.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Button(page, T(locale, "保存", "Save")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "已保存组团服务·特急的时限。", "The policy for Group activity, Critical is saved."));
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = T(locale, "超时上报", "Escalation ladder") })).ToHaveTextAsync(T(locale, "嘎查村/社区→苏木镇/街道→旗县→盟市", "Community→Town→County→Region"));
        if (locale == "zh-CN")
        {
            await page.EvaluateAsync("() => document.querySelector('main')?.scrollTo(0, 0)");
            await Screenshot(page, "desk-policies");
        }

        using var admin = await Fixture.Dispatch.Admin();
        var policies = await admin.GetOk<JsonArray>("/api/policies");
        var entry = policies.Single(p => p!["kind"]!.GetValue<string>() == "activity" && p["urgency"]!.GetValue<string>() == "critical")!;
        Assert.Equal($"0{hours}:00:00", entry["policy"]!["claimWithin"]!.GetValue<string>());
        Assert.Equal(DeskWorld.Admin, entry["changedBy"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_edit_an_open_request_in_its_drawer(string locale)
    {
        using var staff = await Staff();
        var wish = await Publish(staff, T(locale, "给张奶奶送棉衣", "A winter coat for Granny Zhang"), "wish", "normal", "衣物");
        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await Card(Column(page, "open"), wish.Title).ClickAsync();
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = wish.Title, Exact = true });

        await Button(drawer, T(locale, "编辑需求", "Edit")).ClickAsync();
        var title = T(locale, "给张奶奶送棉衣和棉鞋", "A winter coat and boots for Granny Zhang");
        await drawer.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "标题", "Title"), Exact = true }).FillAsync(title);
        await drawer.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "紧急程度", "Urgency"), Exact = true }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = T(locale, "紧急", "Urgent"), Exact = true }).ClickAsync();
        await Button(drawer, T(locale, "保存修改", "Save the changes")).ClickAsync();

        // The drawer is named by the title: the new one now.
        drawer = page.GetByRole(AriaRole.Dialog, new() { Name = title, Exact = true });
        await Assertions.Expect(drawer.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "需求已修改。", "The request is changed."));
        await drawer.GetByRole(AriaRole.Tab, new() { Name = T(locale, "办理记录", "History") }).ClickAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.List, new() { Name = T(locale, "需求办理记录", "History of the request") })).ToContainTextAsync(T(locale, "修改了需求", "edited the request"));

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal((title, Urgency.Urgent), (stored.Title, stored.Urgency));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_release_a_no_shows_claim_with_a_reason(string locale)
    {
        using var staff = await Staff();
        var username = T(locale, "no-show-zh", "no-show-en");
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.PostOk<JsonObject>(
                "/api/accounts",
                new { username, password = World.Password, displayName = T(locale, "周强", "Zhou Qiang"), role = "volunteer", placeId = DeskWorld.Community, skills = Array.Empty<string>() },
                HttpStatusCode.Created);
        }

        using var volunteer = await Fixture.Dispatch.LoginAs(username, World.Password);
        var wish = await Publish(staff, T(locale, "陪王爷爷去医院复查", "Take Grandpa Wang to his check-up"), "wish", "normal", "陪护");
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");

        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await Card(Column(page, "claimed"), wish.Title).ClickAsync();
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = wish.Title, Exact = true });
        // The claimant by name, never by username.
        var name = T(locale, "周强", "Zhou Qiang");
        await Assertions.Expect(drawer).ToContainTextAsync(name);
        await Button(drawer, T(locale, $"释放{name}的认领", $"Release the claim of {name}")).ClickAsync();
        var confirm = Button(drawer, T(locale, "确认释放", "Release the claim"));
        await Assertions.Expect(confirm).ToBeDisabledAsync();
        await drawer.GetByRole(AriaRole.Textbox, new() { Name = T(locale, $"释放{name}认领的原因", $"Why release {name}'s claim") }).FillAsync(T(locale, "约定时间未到场", "Did not turn up"));
        await confirm.ClickAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"已释放{name}的认领。", $"{name}'s claim is released."));
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(Card(Column(page, "open"), wish.Title)).ToBeVisibleAsync();

        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        Assert.Equal((RequestAction.Released, DeskWorld.Staff, T(locale, "约定时间未到场", "Did not turn up")), (history[^1].Action, history[^1].Actor, history[^1].Note));
    }

    private static TValue Pick<TValue>(string locale, TValue zh, TValue en) => locale.StartsWith("zh", StringComparison.Ordinal) ? zh : en;

    private async Task<IPage> SignedIn(string locale, string path, string username)
    {
        var page = await NewPage(locale, viewport: Desk);
        await page.GotoAsync($"{BaseAddress}{path}");
        await SignIn(page, username, TextsOf(locale));
        return page;
    }
}
