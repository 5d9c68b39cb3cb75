using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>The overdue ladder of a town (issue #18 item 18): what is overdue where, the highest step first, oldest first.</summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_see_what_is_overdue_where_in_their_town_and_open_it(string locale)
    {
        // Urgent errands must be claimed within two seconds (see the fixture): move the host's clock past that.
        using var staff = await Staff();
        var errand = await Publish(staff, T(locale, "帮独居的周奶奶买药", "给行动不便的孙大爷送午饭"), "errand", "urgent", "买药");
        Fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        var escalated = await Eventually.Get(() => staff.GetOk<RequestView>($"/api/requests/{errand.Id}"), r => r.EscalationLevel >= 1);
        Assert.True(escalated.Overdue);

        var page = await SignedIn(locale, "console/overdue");
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "超时督办：", "Overdue: ") + DeskWorld.TownName);
        // In the table of the step it climbed to (a region named by it), with its community, kind and no owner yet.
        var row = page.GetByRole(AriaRole.Region).Filter(new() { HasText = errand.Title }).GetByRole(AriaRole.Row).Filter(new() { HasText = errand.Title });
        await Assertions.Expect(row).ToContainTextAsync(DeskWorld.CommunityName);
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "帮办代办", "Errand"));
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "尚无", "Nobody yet"));
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-overdue");
        }

        // The request opens in its drawer, from the ladder.
        await Button(page, T(locale, $"打开{errand.Title}", $"Open {errand.Title}")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog, new() { Name = errand.Title, Exact = true })).ToBeVisibleAsync();
    }
}
