using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The desk opened while the live connection cannot be made (the network between the desk and the
/// hub is down) says it is reconnecting, shows no error, and comes live by itself once it can.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task The_board_comes_live_by_itself_when_the_hub_was_out_of_reach_at_first(string locale)
    {
        ExpectConsoleError("net::ERR_FAILED"); // the refused negotiations, provoked on purpose
        var hubReachable = false;
        var page = await NewPage(
            locale,
            async p =>
            {
                // The browser's clock starts at the host's (they agree on the token); the retry's wait runs on it.
                await p.Clock.InstallAsync(new() { TimeDate = Fixture.Clock.GetUtcNow().UtcDateTime });
                await p.RouteAsync("**/hubs/console/**", route => hubReachable ? route.ContinueAsync() : route.AbortAsync());
            },
            Desk);
        await page.GotoAsync($"{BaseAddress}console/board/{DeskWorld.Town}");
        await SignIn(page, DeskWorld.Staff, TextsOf(locale));

        await Assertions.Expect(page.GetByText(T(locale, "正在重新连接…", "Reconnecting…"), new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

        hubReachable = true;
        await page.Clock.RunForAsync(6_000);
        await Assertions.Expect(page.GetByText(T(locale, "实时", "Live"), new() { Exact = true })).ToBeVisibleAsync();

        using var staff = await Staff();
        var wish = await Publish(staff, T(locale, "给独居的周大爷修水龙头", "Fix Grandpa Zhou's tap"), "wish", "normal", "生活用品");
        await Assertions.Expect(Card(Column(page, "open"), wish.Title)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
    }
}
