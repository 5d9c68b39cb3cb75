using System.Text;
using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Publishing many requests from a sheet (issue #18 item 4): a file with one bad row publishes the
/// good rows, which show on the board, and reports the bad one by its row, column and reason in
/// the reader's language.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_publish_many_requests_from_a_sheet_and_see_the_bad_row_reported(string locale)
    {
        using var staff = await Staff();
        var (first, second) = Pick(locale, ("表格：给独居的韩奶奶送米", "表格：帮彭大爷修水龙头"), ("Sheet: rice for Granny Han", "Sheet: fix Grandpa Peng's tap"));
        var sheet = string.Join("\r\n",
            "*社区（名称或编号）,*类型（微心愿/帮办代办/信访代办/组团服务）,*标题,类别（多个用、分隔）,紧急程度（一般/紧急/特急）,名额,积分,*服务对象姓名,服务对象电话",
            $"{DeskWorld.CommunityName},微心愿,{first},生活用品,一般,1,5,韩奶奶,13800000001",
            $"{DeskWorld.CommunityName},帮办代办,{second},维修,紧急,1,10,彭大爷,",
            $"{DeskWorld.CommunityName},送蛋糕,{T(locale, "表格：类型写错的一行", "Sheet: a row with a wrong kind")},,一般,1,5,某居民,");
        var file = Path.Combine(Path.GetTempPath(), $"{T(locale, "需求导入", "requests")}-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(file, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sheet)]);

        var page = await SignedIn(locale, "console");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "发布需求", "Publish a request") }).ClickAsync();
        var section = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "从表格批量发布", "Publish many from a sheet") });
        await Assertions.Expect(Button(section, T(locale, "下载模板（Excel）", "Template (Excel)"))).ToBeVisibleAsync();

        // The template downloads as a workbook in the reader's language.
        var download = await page.RunAndWaitForDownloadAsync(() => Button(section, T(locale, "下载模板（Excel）", "Template (Excel)")).ClickAsync());
        var template = XlsxSheet.Read(await File.ReadAllBytesAsync((await download.PathAsync())!));
        Assert.Equal(T(locale, "*标题", "*Title"), template[0][2].Text);

        await section.GetByLabel(T(locale, "选择表格文件并导入", "Choose a sheet and import")).SetInputFilesAsync(file);
        var report = section.GetByRole(AriaRole.Region, new() { Name = T(locale, "导入结果", "Import report") });
        await Assertions.Expect(report.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "已发布 2 条，1 行未通过", "2 published, 1 refused"));
        var refused = report.GetByRole(AriaRole.Row).Filter(new() { HasText = T(locale, "类型不是可选的值。", "Kind is not one of the allowed values.") });
        await Assertions.Expect(refused).ToHaveCountAsync(1);
        await Assertions.Expect(refused).ToContainTextAsync("4");
        await Assertions.Expect(refused).ToContainTextAsync(T(locale, "类型", "Kind"));
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-publish-sheet");
        }

        // The good rows are on the board; the bad one is not.
        await page.GotoAsync($"{BaseAddress}console/board/{DeskWorld.Town}");
        await Assertions.Expect(page.GetByText(first).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(second).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(T(locale, "表格：类型写错的一行", "Sheet: a row with a wrong kind"))).ToHaveCountAsync(0);
        File.Delete(file);
    }
}
