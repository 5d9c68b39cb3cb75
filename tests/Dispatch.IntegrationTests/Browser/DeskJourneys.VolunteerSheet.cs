using System.Text;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Registering many volunteers from a sheet (issue #18 item 11): the good rows are registered with
/// one-time passwords, shown and downloadable this once, that sign in to nothing but changing
/// them; each bad row is reported by its row, column and reason in the reader's language.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_register_many_volunteers_from_a_sheet_and_hand_out_their_one_time_passwords(string locale)
    {
        var suffix = locale == "zh-CN" ? "zh" : "en";
        var (first, second) = Pick(locale, ("表格志愿者周芳", "表格志愿者吴磊"), ("Sheet volunteer Zhou Fang", "Sheet volunteer Wu Lei"));
        var sheet = string.Join("\r\n",
            "*社区（名称或编号）,*姓名,*用户名（登录用，字母或数字）,手机号（仅本人可见）,技能（多个用、分隔）",
            $"{DeskWorld.CommunityName},{first},sheet-zhou-{suffix},139 0000 0001,陪伴、跑腿",
            $"东方社区,{second},sheet-wu-{suffix},,",
            $"{DeskWorld.CommunityName},{T(locale, "重复的一行", "A repeated row")},sheet-zhou-{suffix},,",
            $"{DeskWorld.CommunityName},{T(locale, "电话写错的一行", "A row with a bad phone")},sheet-phone-{suffix},请打电话,",
            $"幸福社区,{T(locale, "社区写错的一行", "A row with a wrong community")},sheet-where-{suffix},,");
        var file = Path.Combine(Path.GetTempPath(), $"{T(locale, "志愿者导入", "volunteers")}-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(file, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sheet)]);

        var page = await SignedIn(locale, "console/volunteers");
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "志愿者：", "Volunteers: ") + DeskWorld.TownName);
        await Button(page, T(locale, "从表格导入", "Import from a sheet")).ClickAsync();
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, "从表格导入", "Import from a sheet") });
        var section = drawer.GetByRole(AriaRole.Region, new() { Name = T(locale, "从表格批量登记志愿者", "Register many volunteers from a sheet") });

        // The template downloads as a workbook in the reader's language.
        var download = await page.RunAndWaitForDownloadAsync(() => Button(section, T(locale, "下载模板（Excel）", "Template (Excel)")).ClickAsync());
        var template = XlsxSheet.Read(await File.ReadAllBytesAsync((await download.PathAsync())!));
        Assert.Equal(T(locale, "*用户名（登录用，字母或数字）", "*Username (to sign in with: letters or digits)"), template[0][2].Text);

        await section.GetByLabel(T(locale, "选择表格文件并导入", "Choose a sheet and import")).SetInputFilesAsync(file);
        var report = section.GetByRole(AriaRole.Region, new() { Name = T(locale, "导入结果", "Import report") });
        await Assertions.Expect(report.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "已登记 2 人，3 行未通过", "2 registered, 3 refused"));

        // Each refused row by its number, its column and why, in words.
        async Task Refused(int row, string column, string reason)
        {
            var line = report.GetByRole(AriaRole.Row).Filter(new() { HasText = reason });
            await Assertions.Expect(line).ToHaveCountAsync(1);
            await Assertions.Expect(line.GetByRole(AriaRole.Cell).First).ToHaveTextAsync(row.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(line).ToContainTextAsync(column);
        }

        await Refused(4, T(locale, "用户名", "Username"), T(locale, "用户名与表格中前面的一行重复。", "Username repeats an earlier row of this sheet."));
        await Refused(5, T(locale, "手机号", "Phone"), T(locale, "手机号不是有效的电话号码。", "Phone is not a phone number."));
        await Refused(6, T(locale, "所属社区", "Community"), T(locale, "本级及下级没有这个社区。", "There is no such community here or below."));

        // The one-time passwords, once: on the page and as a file to hand out.
        await Assertions.Expect(report.GetByRole(AriaRole.Alert)).ToContainTextAsync(T(locale, "一次性密码只显示这一次", "shown this once"));
        var zhou = report.GetByRole(AriaRole.Row).Filter(new() { HasText = first });
        await Assertions.Expect(zhou).ToContainTextAsync(DeskWorld.CommunityName);
        await Assertions.Expect(report.GetByRole(AriaRole.Row).Filter(new() { HasText = second })).ToContainTextAsync("东方社区");
        var password = (await zhou.Locator("code").InnerTextAsync()).Trim();
        Assert.Matches("^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$", password);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-volunteers-sheet");
        }

        var passwords = await page.RunAndWaitForDownloadAsync(() => Button(report, T(locale, "下载密码表（CSV）", "Download the passwords (CSV)")).ClickAsync());
        var csv = Encoding.UTF8.GetString(await File.ReadAllBytesAsync((await passwords.PathAsync())!));
        Assert.Contains($"{first},sheet-zhou-{suffix},{DeskWorld.CommunityName},{password}", csv, StringComparison.Ordinal);
        Assert.Equal(3, csv.Split("\r\n").Length); // the header and the two registered: nobody refused

        // The password signs in to nothing but changing it.
        using (var volunteer = await Fixture.Dispatch.LoginAs($"sheet-zhou-{suffix}", password))
        {
            Assert.True((await volunteer.GetOk<JsonObject>("/api/accounts/me"))["mustChangePassword"]!.GetValue<bool>());
        }

        // Leaving the import shows the list with the new volunteers in it.
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(drawer).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "按姓名或用户名搜索", "Search by name or username") }).FillAsync($"sheet-");
        await Button(page, T(locale, "搜索", "Search")).ClickAsync();
        var table = page.GetByRole(AriaRole.Main);
        await Assertions.Expect(table).ToContainTextAsync(first);
        await Assertions.Expect(table).ToContainTextAsync(second);
        await Assertions.Expect(table).Not.ToContainTextAsync(T(locale, "电话写错的一行", "A row with a bad phone"));
        File.Delete(file);
    }
}
