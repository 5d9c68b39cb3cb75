using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The staff console (/console), one journey per thing staff do on it: watch another place, open a
/// request's details (and close them), dispatch automatically, acknowledge an escalation alert. The
/// live board is in <see cref="BrowserTests"/>.
/// </summary>
public sealed class ConsoleJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Fact]
    public async Task Staff_watch_another_place_and_the_board_shows_only_it()
    {
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var inM1 = await staff.CreateRequest("m1", title: "Umbrella for the bus stop");
        var inM2 = await staff.CreateRequest("m2", title: "Wheelchair ramp survey");

        var page = await SignedIn($"console?place=m1");
        await Assertions.Expect(Card(page, inM1.Title)).ToBeVisibleAsync();
        await page.GetByLabel("Place", new() { Exact = true }).FillAsync("m2");
        await Button(page, "Watch").ClickAsync();

        await Assertions.Expect(Card(page, inM2.Title)).ToBeVisibleAsync();
        await Assertions.Expect(Card(page, inM1.Title)).ToHaveCountAsync(0);
        await Screenshot(page, "console-watch-place");

        // The board follows the server: the requests are where it says, and m2's open count is its counter.
        Assert.Equal("m2", (await staff.GetOk<RequestView>($"/api/requests/{inM2.Id}")).CommunityId);
        Assert.Equal("m1", (await staff.GetOk<RequestView>($"/api/requests/{inM1.Id}")).CommunityId);
        var open = await staff.GetOk<System.Text.Json.Nodes.JsonObject>("/api/communities/m2/requests?status=open&pageSize=100");
        var openCount = open["items"]!.AsArray().Count;
        await Assertions.Expect(page.Locator("[data-counter='open'] b")).ToHaveTextAsync(openCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Staff_open_a_requests_details_with_its_history_and_close_them()
    {
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        using var volunteer = await Fixture.Dispatch.LoginAs(World.Volunteer("m1", 11), World.Password);
        var wish = await staff.CreateRequest("m1", title: "Desk lamp for homework");
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");

        var page = await SignedIn("console?place=m1");
        await Card(page, wish.Title).ClickAsync();

        var details = page.GetByRole(AriaRole.Dialog, new() { Name = wish.Title, Exact = true });
        await Assertions.Expect(details).ToBeVisibleAsync();
        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        await Assertions.Expect(details).ToContainTextAsync($"Check-in code: {stored.CheckInCode}");
        await Assertions.Expect(details).ToContainTextAsync($"Claimants: {World.Volunteer("m1", 11)}");
        await Assertions.Expect(details.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(history.Length);
        await Assertions.Expect(details.GetByRole(AriaRole.Listitem).Last).ToContainTextAsync($"{World.Volunteer("m1", 11)} · claimed");
        await Screenshot(page, "console-request-details");

        await Button(details, "Close").ClickAsync();
        await Assertions.Expect(details).ToBeHiddenAsync();

        // A card is a button: the keyboard opens it too.
        await Card(page, wish.Title).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(details).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(details).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Staff_dispatch_a_request_to_the_best_candidates()
    {
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);

        // In m2, so that the offer lands on no volunteer another journey signs in as.
        var wish = await staff.CreateRequest("m2", title: "Walk Mr Bao to the clinic");

        var page = await SignedIn("console?place=m2");
        await Card(page, wish.Title).ClickAsync();
        var details = page.GetByRole(AriaRole.Dialog, new() { Name = wish.Title, Exact = true });
        await Button(details, "Dispatch to the best candidates").ClickAsync();

        // The details come back with the volunteer it was offered to, and nothing more to dispatch.
        await Assertions.Expect(details).ToContainTextAsync("Offered to: vol-m2-");
        await Assertions.Expect(Button(details, "Dispatch to the best candidates")).ToHaveCountAsync(0);
        await Screenshot(page, "console-auto-dispatch");

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.NotNull(stored.Offer);
        Assert.True(stored.Offer.Auto);
        Assert.Equal("staff-t1", stored.Offer.By);
        Assert.StartsWith("vol-m2-", stored.Offer.Volunteer, StringComparison.Ordinal);
        await Assertions.Expect(details).ToContainTextAsync($"Offered to: {stored.Offer.Volunteer}");
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        Assert.Contains(history, h => h.Action == RequestAction.Offered && h.Actor == "staff-t1");
    }

    [Fact]
    public async Task Staff_acknowledge_an_escalation_alert_and_own_the_request()
    {
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var page = await SignedIn("console?place=t1");
        await Assertions.Expect(page.GetByText("Live", new() { Exact = true })).ToBeVisibleAsync();

        // Urgent errands must be claimed within two seconds (see the fixture): move the host's clock past that.
        var errand = await staff.PostOk<RequestView>(
            "/api/requests",
            new { communityId = "m1", kind = "errand", title = "Fix Granny Wu's heating", urgency = "urgent", beneficiary = new { name = "Granny Wu" } },
            System.Net.HttpStatusCode.Created);
        Fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        var escalated = await Eventually.Get(() => staff.GetOk<RequestView>($"/api/requests/{errand.Id}"), r => r.EscalationLevel >= 1);
        Assert.True(escalated.Overdue);

        var alert = Group(page.GetByRole(AriaRole.Complementary), errand.Title);
        await Button(alert, "Acknowledge").ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Taken up");
        await Assertions.Expect(alert).ToContainTextAsync("Owner: staff-t1");
        await Screenshot(page, "console-acknowledge");

        var stored = await staff.GetOk<RequestView>($"/api/requests/{errand.Id}");
        Assert.Equal("staff-t1", stored.Owner);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{errand.Id}/history");
        Assert.Contains(history, h => h.Action == RequestAction.Acknowledged && h.Actor == "staff-t1");
    }

    private async Task<IPage> SignedIn(string path)
    {
        var page = await NewPage("en-US");
        await page.GotoAsync($"{BaseAddress}{path}");
        await SignIn(page, "staff-t1");
        return page;
    }

    /// <summary>A card on the board: a button named by the request's title (and its kind and claimants).</summary>
    private static ILocator Card(IPage page, string title) =>
        page.GetByRole(AriaRole.Button, new() { Name = title });
}
