using System.Net;
using Dispatch.Honours;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The seed's practice in the desk (issue #20): the honour list, and the certificate of service
/// issued from it, printed on A4 with a QR code whose public page shows the same figures.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_read_the_honour_list_and_issue_a_certificate_anyone_can_check(string locale)
    {
        var served = await ServeAndVerify(T(locale, "陪吴奶奶去医院复查", "Take Grandma Wu to her check-up"));

        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "荣誉榜", "Honour list") }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, $"{DeskWorld.TownName}荣誉榜", $"Honour list of {DeskWorld.TownName}"));
        var list = page.GetByRole(AriaRole.Table, new() { Name = T(locale, "荣誉榜", "Honour list") });
        var helper = list.GetByRole(AriaRole.Row).Filter(new() { HasText = DeskWorld.HelperName });
        await Assertions.Expect(helper).ToContainTextAsync(DeskWorld.CommunityName);
        await Assertions.Expect(helper).Not.ToContainTextAsync(DeskWorld.Helper);

        await page.GetByLabel(T(locale, "排序依据", "Rank by")).SelectOptionAsync("rating");
        await Assertions.Expect(helper).ToBeVisibleAsync();
        await page.GetByLabel(T(locale, "排序依据", "Rank by")).SelectOptionAsync("points");
        await Assertions.Expect(helper).ToContainTextAsync(served.Points.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel(T(locale, "排序依据", "Rank by")).SelectOptionAsync("hours");
        await Assertions.Expect(helper).ToContainTextAsync(DeskWorld.CommunityName);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-honours");
        }

        await Button(helper, T(locale, $"为{DeskWorld.HelperName}出具志愿服务证明", $"Issue a certificate of service for {DeskWorld.HelperName}")).ClickAsync();
        var sheet = page.GetByRole(AriaRole.Article, new() { Name = T(locale, "志愿服务证明", "Certificate of service") });
        await Assertions.Expect(sheet).ToContainTextAsync(DeskWorld.HelperName);
        await Assertions.Expect(sheet).ToContainTextAsync(DeskWorld.CommunityName);
        await Assertions.Expect(sheet).ToContainTextAsync(served.Title);
        await Assertions.Expect(sheet.GetByRole(AriaRole.Img, new() { Name = T(locale, "核验二维码", "QR code to check this certificate") })).ToBeVisibleAsync();
        await Assertions.Expect(Button(page, T(locale, "打印证明", "Print"))).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            // Tall enough for the whole A4 sheet, QR code and seal included.
            await page.SetViewportSizeAsync(1366, 1400);
            await Screenshot(page, "desk-certificate");
            await page.SetViewportSizeAsync(Desk.Width, Desk.Height);
        }

        // The QR code's address: a public page, no sign-in, the same figures as issued.
        var id = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        using var staff = await Staff();
        var certificate = await staff.GetOk<Certificate>($"/api/certificates/{id}");
        var check = await NewPage(locale, viewport: Desk);
        await check.GotoAsync($"{BaseAddress}verify/{id}");
        await Assertions.Expect(check.GetByText("此证明真实有效", new() { Exact = false })).ToBeVisibleAsync();
        await Assertions.Expect(check.Locator("main")).ToContainTextAsync(DeskWorld.HelperName);
        await Assertions.Expect(check.Locator("main")).ToContainTextAsync(served.Title);
        await Assertions.Expect(check.Locator("main")).ToContainTextAsync(certificate.TotalHours.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(check.Locator("main")).Not.ToContainTextAsync(DeskWorld.Staff);
    }

    /// <summary>
    /// A wish the helper claims and serves for two and a half hours (the clock moves), verified with
    /// five stars and its hours confirmed, and points added by hand: what the honour list shows.
    /// </summary>
    private async Task<(string Title, int Points)> ServeAndVerify(string title)
    {
        using (var staff = await Staff())
        using (var helper = await Fixture.Dispatch.LoginAs(DeskWorld.Helper, World.Password))
        {
            var wish = await Publish(staff, title, "wish", "normal", "陪护");
            await helper.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
            await helper.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
            Fixture.Clock.Advance(TimeSpan.FromMinutes(150));
            title = wish.Title;
            using var back = await Fixture.Dispatch.LoginAs(DeskWorld.Helper, World.Password);
            await back.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "已陪同复查" });
            using var verifier = await Staff();
            await verifier.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 5 });
            await verifier.PostOk<System.Text.Json.Nodes.JsonNode>($"/api/requests/{wish.Id}/hours", new { minutes = 150 });
            await verifier.PostOk<LedgerEntry>($"/api/volunteers/{DeskWorld.Helper}/points", new { amount = 20, reason = "优秀志愿者奖励" }, HttpStatusCode.Created);
            var points = await verifier.GetOk<HonoursList>($"/api/places/{DeskWorld.Town}/honours?period={Month()}&by=points");
            return (title, points.Lines.Single(l => l.Key == DeskWorld.Helper).Points);
        }
    }

    private string Month() => Fixture.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
