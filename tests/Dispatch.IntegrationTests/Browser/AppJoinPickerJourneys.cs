using System.Net;
using System.Text.Json.Nodes;
using Dispatch.Applications;
using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Reporting in without a community's link: the person picks their community from the place tree
/// by name (region, county, town, community) and their work unit from the units registered with it;
/// and with the link (<c>/app/join/{communityId}</c>), which names the community and keeps it fixed.
/// Works in <see cref="DeskWorld"/>, whose places and people have real Chinese names.
/// </summary>
public sealed class AppJoinPickerJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private const string Password = "report-in-password";

    private static readonly string Ladder = string.Join(" / ", DeskWorld.Ladder);

    private sealed record Words(string Community, string PickTitle, string Name, string Phone, string Unit, string Username, string Password, string Submit, string Waiting, string Units);

    private static readonly Words English = new("Community", "Choose your community", "Full name", "Mobile phone", "Work unit", "Username", "Password", "Send my report-in", "Waiting for approval", "Units registered with this community:");

    private static readonly Words Chinese = new("报到社区", "选择报到社区", "姓名", "手机号码", "工作单位", "用户名", "密码", "提交报到", "等待审核", "已在本社区报到的单位：");

    [Theory]
    [InlineData("zh-CN", "阿荣旗供电公司", "赵丽华", "13800131001")]
    [InlineData("en-US", "那吉镇中心小学", "Zhao Lihua", "13800131002")]
    public async Task A_person_picks_their_community_from_the_tree_and_their_unit_from_its_list(string locale, string unit, string person, string phone)
    {
        var words = locale == "zh-CN" ? Chinese : English;
        var username = $"picker-{locale.ToLowerInvariant()}";
        using (var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password))
        {
            await staff.PostOk<JsonObject>("/api/organisations", new { id = $"unit-{username}", name = unit, communityIds = new[] { DeskWorld.Community } }, HttpStatusCode.Created);
        }

        var page = await NewPage(locale, viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app/join");
        await Field(page, words.Community).ClickAsync();

        // One level at a time, by name: region, county, town, then the community.
        var picker = page.GetByRole(AriaRole.Dialog, new() { Name = words.PickTitle });
        foreach (var level in DeskWorld.Ladder)
        {
            await Option(picker, level).ClickAsync();
        }

        await Assertions.Expect(picker).ToBeHiddenAsync();
        await Assertions.Expect(Field(page, words.Community)).ToHaveValueAsync(Ladder);

        // The units registered with the chosen community are offered; one tap fills the field.
        var units = page.GetByRole(AriaRole.Group, new() { Name = words.Units });
        await Button(units, unit).ClickAsync();
        await Assertions.Expect(Field(page, words.Unit)).ToHaveValueAsync(unit);
        await Assertions.Expect(Button(units, unit)).ToHaveAttributeAsync("aria-pressed", "true");

        await Field(page, words.Name).FillAsync(person);
        await Field(page, words.Phone).FillAsync(phone);
        await Field(page, words.Username).FillAsync(username);
        await Field(page, words.Password).FillAsync(Password);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "app-join-form");
        }

        await Button(page, words.Submit).ClickAsync();
        await Assertions.Expect(page.GetByText(words.Waiting, new() { Exact = true })).ToBeVisibleAsync();

        using var reader = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password);
        var stored = (await reader.GetOk<ApplicationPage>($"/api/places/{DeskWorld.Community}/applications?pageSize=200")).Items.Single(a => a.Username == username);
        Assert.Equal((DeskWorld.Community, unit, person, ApplicationStatus.Waiting), (stored.CommunityId, stored.Unit, stored.Name, stored.Status));
    }

    [Fact]
    public async Task The_picker_shows_the_communities_of_a_town_by_name()
    {
        var page = await NewPage("zh-CN", viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app/join");
        await Field(page, Chinese.Community).ClickAsync();
        var picker = page.GetByRole(AriaRole.Dialog, new() { Name = Chinese.PickTitle });
        foreach (var level in DeskWorld.Ladder[..^1])
        {
            await Option(picker, level).ClickAsync();
        }

        await Assertions.Expect(Option(picker, DeskWorld.CommunityName)).ToBeVisibleAsync();
        await Assertions.Expect(Option(picker, "东方社区")).ToBeVisibleAsync();

        // The picker slides to the next level: the picture is taken with the slide finished.
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "app-join-picker.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task The_link_of_a_community_names_it_and_keeps_it_fixed(string locale)
    {
        var words = locale == "zh-CN" ? Chinese : English;
        var page = await NewPage(locale, viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app/join/{DeskWorld.Community}");

        var community = Field(page, words.Community);
        await Assertions.Expect(community).ToHaveValueAsync(Ladder);
        await Assertions.Expect(community).Not.ToBeEditableAsync();
        await community.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog, new() { Name = words.PickTitle })).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("zh-CN", "这个报到链接里的社区不存在")]
    [InlineData("en-US", "This report-in link names no community")]
    public async Task The_link_of_an_unknown_community_says_so(string locale, string message)
    {
        ExpectConsoleError("404"); // The directory answers 404 for the unknown community: Chromium logs it.
        var page = await NewPage(locale, viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app/join/nowhere-{locale.ToLowerInvariant()}");

        await Assertions.Expect(page.Locator(".van-field__error-message").First).ToContainTextAsync(message);
    }

    private static ILocator Field(IPage page, string label) => page.GetByRole(AriaRole.Textbox, new() { Name = label, Exact = true });

    private static ILocator Option(ILocator picker, string name) => picker.GetByRole(AriaRole.Menuitemradio, new() { Name = name, Exact = true });
}
