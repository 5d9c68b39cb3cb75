using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Suggestions;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// 集中交办 in the desk (issue #20 item 7): a deputy's suggestion waits in the town's list; staff
/// choose it, pick a department and a deadline, and hand it over.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_hand_a_deputys_suggestion_over_to_a_department_with_a_deadline(string locale)
    {
        var departmentId = "housing-" + locale.ToLowerInvariant();
        var departmentName = T(locale, "县住房保障中心", "County Housing Security Centre");
        var title = T(locale, "新华社区3号楼加装电梯", "A lift for building 3 of Xinhua");
        string suggestionId;
        using (var admin = await Fixture.Dispatch.LoginAs(DeskWorld.Admin, World.Password))
        {
            await admin.PostOk<JsonObject>("/api/organisations", new { id = departmentId, name = departmentName, communityIds = new[] { DeskWorld.Community }, kind = "department" }, HttpStatusCode.Created);
            await DispatchClient.Expect(await admin.Put($"/api/accounts/{DeskWorld.Helper}/representative", new { title = "peoplesCongress" }), HttpStatusCode.OK);
        }

        using (var deputy = await Fixture.Dispatch.LoginAs(DeskWorld.Helper, World.Password))
        {
            var filed = await deputy.PostOk<SuggestionView>("/api/suggestions", new { kind = "suggestion", title, content = T(locale, "六层老楼，老人上下楼困难。", "Six floors and no lift: the old cannot get down."), placeId = DeskWorld.Community }, HttpStatusCode.Created);
            suggestionId = filed.Id;
        }

        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "代表建议", "Suggestions") }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "代表建议交办", "Representatives' suggestions"));
        var table = page.GetByRole(AriaRole.Table, new() { Name = T(locale, "建议列表", "Suggestions") });
        var row = table.GetByRole(AriaRole.Row).Filter(new() { HasText = title });
        await Assertions.Expect(row).ToContainTextAsync(DeskWorld.HelperName);
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "待交办", "To hand over"));
        await Assertions.Expect(row).ToContainTextAsync(DeskWorld.CommunityName);

        await row.GetByRole(AriaRole.Checkbox, new() { Name = T(locale, $"选择{title}", $"Choose {title}") }).CheckAsync();
        await page.GetByLabel(T(locale, "承办部门", "Department")).SelectOptionAsync(new SelectOptionValue { Label = departmentName });
        var due = Fixture.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.GetByLabel(T(locale, "办理期限", "Deadline")).FillAsync(due);
        await Button(page, T(locale, "交办所选建议（1）", "Hand over the chosen suggestions (1)")).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(departmentName);
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "已交办", "Handed over"));
        await Assertions.Expect(row).ToContainTextAsync(departmentName);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-suggestions");
        }

        using var staff = await Staff();
        var handed = await staff.GetOk<SuggestionView>($"/api/suggestions/{suggestionId}");
        Assert.Equal((SuggestionStatus.HandedOver, departmentId, DeskWorld.Staff), (handed.Status, handed.DepartmentId, handed.HandedOverBy));
        Assert.Equal(due, handed.Deadline!.Value.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
