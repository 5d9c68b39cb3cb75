using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Volunteers;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The volunteer's profile on the phone ("Me"): skills, when they can help and the work unit (one
/// of the community's units, by one tap), saved for the matcher; the language; the password, after
/// which the phone stays signed in.
/// </summary>
public sealed class AppProfileJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private sealed record Words(string Me, string Profile, string Skills, string Weekends, string Units, string Unit, string Save, string Saved, string Current, string New, string Change, string Changed, string OpenRequests, string OtherLanguage, string ProfileInOther);

    private static readonly Words English = new("Me", "My profile", "Skills", "Weekends", "Units registered with this community:", "Work unit", "Save my profile", "Saved: dispatch takes it into account.", "Current password", "New password", "Change password", "Password changed: other devices sign in again with the new one.", "Open requests in my community", "中文", "我的资料");

    private static readonly Words Chinese = new("我的", "我的资料", "个人特长", "周末", "已在本社区报到的单位：", "工作单位", "保存资料", "资料已保存，派单时会参考。", "当前密码", "新密码", "修改密码", "密码已修改，其他设备需用新密码重新登录。", "本社区待认领需求", "English", "My profile");

    [Theory]
    [InlineData("zh-CN", "sun-hui", "孙慧", "那吉镇卫生院")]
    [InlineData("en-US", "he-jun", "何军", "阿荣旗自来水公司")]
    public async Task A_volunteer_sets_their_profile_changes_the_password_and_stays_signed_in(string locale, string username, string name, string unit)
    {
        var (words, texts) = locale == "zh-CN" ? (Chinese, Zh) : (English, En);
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.PostOk<JsonObject>("/api/accounts", new { username, password = World.Password, displayName = name, role = "volunteer", placeId = DeskWorld.Community, skills = new[] { "送物资" } }, HttpStatusCode.Created);
            await admin.PostOk<JsonObject>("/api/organisations", new { id = $"unit-of-{username}", name = unit, communityIds = new[] { DeskWorld.Community } }, HttpStatusCode.Created);
        }

        var page = await NewPage(locale, viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, username, texts);
        // The tab bar\'s tab, not a request card whose title happens to hold the word.
        await page.GetByRole(AriaRole.Tab, new() { Name = words.Me }).ClickAsync();

        var profile = Region(page, words.Profile);
        var skills = profile.GetByRole(AriaRole.Textbox, new() { Name = words.Skills, Exact = true });
        await Assertions.Expect(skills).ToHaveValueAsync("送物资");
        await skills.FillAsync("理发、量血压");
        await profile.GetByRole(AriaRole.Checkbox, new() { Name = words.Weekends }).ClickAsync();
        await Button(profile.GetByRole(AriaRole.Group, new() { Name = words.Units }), unit).ClickAsync();
        await Assertions.Expect(profile.GetByRole(AriaRole.Textbox, new() { Name = words.Unit, Exact = true })).ToHaveValueAsync(unit);
        await Button(profile, words.Save).ClickAsync();
        await Assertions.Expect(profile.GetByRole(AriaRole.Status)).ToHaveTextAsync(words.Saved);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "app-profile");
        }

        using (var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password))
        {
            var stored = await staff.GetOk<VolunteerView>($"/api/volunteers/{username}");
            Assert.Equal(["理发", "量血压"], stored.Skills.ToArray());
            Assert.Equal([words.Weekends], stored.Availability.ToArray());
            Assert.Equal(unit, stored.Unit);
        }

        // The password: changed with the current one, and the phone stays signed in with the new one.
        await page.GetByLabel(words.Current, new() { Exact = true }).FillAsync(World.Password);
        await page.GetByLabel(words.New, new() { Exact = true }).FillAsync("winter-coat-2026");
        await Button(page, words.Change).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = words.Changed })).ToBeVisibleAsync();
        using (var again = await Fixture.Dispatch.LoginAs(username, "winter-coat-2026"))
        {
            Assert.Equal(username, (await again.GetOk<JsonObject>("/api/accounts/me"))["username"]!.GetValue<string>());
        }

        await page.ReloadAsync();
        await Assertions.Expect(Region(page, words.Profile)).ToBeVisibleAsync();

        // The language, switched here, holds for the whole app.
        await page.GetByRole(AriaRole.Radio, new() { Name = words.OtherLanguage }).ClickAsync();
        await Assertions.Expect(Region(page, words.ProfileInOther)).ToBeVisibleAsync();
    }
}
