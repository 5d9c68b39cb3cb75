using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Requests;
using Dispatch.Volunteers;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The volunteer page (/app), one journey per thing a volunteer does on it: answer an offer, start,
/// complete (with and without the beneficiary's check-in code). Each sets its request up through
/// the API, acts through the page by accessible names, checks what the volunteer sees and reads
/// back what the server stored. Claiming and losing a race are in <see cref="BrowserTests"/>.
/// </summary>
public sealed class AppJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Fact]
    public async Task A_volunteer_accepts_an_offer_and_holds_the_claim()
    {
        var volunteer = World.Volunteer("m1", 3);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: "School bag for Xiao Hong");
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer });

        var page = await SignedIn(volunteer);
        var offer = Group(Region(page, "Offered to me"), wish.Title);
        await Button(offer, "Accept").ClickAsync();

        await Assertions.Expect(Region(page, "Offered to me")).ToContainTextAsync("No offers waiting.");
        await Assertions.Expect(Button(Group(Region(page, "My claims"), wish.Title), "Start")).ToBeVisibleAsync();
        await Screenshot(page, "app-accept-offer");

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Claimed, stored.Status);
        Assert.Equal(volunteer, Assert.Single(stored.Claimants));
        Assert.Null(stored.Offer);
        Assert.Contains(await History(staff, wish.Id), h => h.Action == RequestAction.OfferAccepted && h.Actor == volunteer);
    }

    [Fact]
    public async Task A_volunteer_declines_an_offer_and_the_request_is_open_again()
    {
        var volunteer = World.Volunteer("m1", 4);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m1", title: "Reading glasses for Uncle Wang");
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer });

        var page = await SignedIn(volunteer);
        await Button(Group(Region(page, "Offered to me"), wish.Title), "Decline").ClickAsync();

        // Declined, the offer leaves the list and the request is back among the open ones, free to claim.
        await Assertions.Expect(Region(page, "Offered to me")).ToContainTextAsync("No offers waiting.");
        await Assertions.Expect(Button(Group(Region(page, "Open requests in my community"), wish.Title), "Claim")).ToBeVisibleAsync();
        await Screenshot(page, "app-decline-offer");

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Open, stored.Status);
        Assert.Empty(stored.Claimants);
        Assert.Null(stored.Offer);
        Assert.Contains(await History(staff, wish.Id), h => h.Action == RequestAction.OfferDeclined && h.Actor == volunteer);
    }

    [Fact]
    public async Task A_volunteer_starts_a_claimed_request()
    {
        var volunteer = World.Volunteer("m1", 5);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        using var api = await Fixture.Dispatch.LoginAs(volunteer, World.Password);
        var errand = await staff.CreateRequest("m1", kind: "errand", title: "Book a clinic visit for Grandpa Zhao");
        await api.PostOk<RequestView>($"/api/requests/{errand.Id}/claim");

        var page = await SignedIn(volunteer);
        var card = Group(Region(page, "My claims"), errand.Title);
        await Button(card, "Start").ClickAsync();

        // Started, the card offers the check-in code and Complete instead of Start.
        await Assertions.Expect(card).ToContainTextAsync("In progress");
        await Assertions.Expect(card.GetByLabel("Check-in code")).ToBeVisibleAsync();
        await Assertions.Expect(Button(card, "Start")).ToHaveCountAsync(0);
        await Screenshot(page, "app-start");

        var stored = await staff.GetOk<RequestView>($"/api/requests/{errand.Id}");
        Assert.Equal(RequestStatus.InProgress, stored.Status);
        Assert.Contains(await History(staff, errand.Id), h => h.Action == RequestAction.Started && h.Actor == volunteer);
    }

    [Fact]
    public async Task A_volunteer_completes_with_the_check_in_code_and_earns_the_points_at_once()
    {
        var volunteer = World.Volunteer("m1", 6);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        using var api = await Fixture.Dispatch.LoginAs(volunteer, World.Password);
        var wish = await staff.CreateRequest("m1", title: "Thermos cup for Xiao Gang");
        await api.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await api.PostOk<RequestView>($"/api/requests/{wish.Id}/start");

        // The beneficiary reads the code out to the volunteer; staff see it on the request.
        var code = (await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).CheckInCode;
        Assert.False(string.IsNullOrEmpty(code));

        var page = await SignedIn(volunteer);
        var card = Group(Region(page, "My claims"), wish.Title);
        await card.GetByLabel("Check-in code").FillAsync(code);
        await Button(card, "Complete").ClickAsync();

        // Verified by the code, the claim is done: it leaves my claims and its points are mine.
        await Assertions.Expect(card).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText($"My points: {wish.Points}", new() { Exact = true })).ToBeVisibleAsync();
        await Screenshot(page, "app-complete-with-code");

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Verified, stored.Status);
        Assert.True(stored.Verification is { Approved: true, ByCheckInCode: true });
        var points = await staff.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points");
        Assert.Equal(wish.Points, points.Balance);
        Assert.DoesNotContain(wish.Id, (await staff.GetOk<VolunteerView>($"/api/volunteers/{volunteer}")).ActiveClaims);
    }

    [Fact]
    public async Task A_volunteer_completes_without_a_code_and_the_work_waits_for_staff()
    {
        var volunteer = World.Volunteer("m1", 7);
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        using var api = await Fixture.Dispatch.LoginAs(volunteer, World.Password);
        var wish = await staff.CreateRequest("m1", title: "Winter gloves for Aunt Liu");
        await api.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await api.PostOk<RequestView>($"/api/requests/{wish.Id}/start");

        var page = await SignedIn(volunteer);
        var card = Group(Region(page, "My claims"), wish.Title);
        await Button(card, "Complete").ClickAsync();

        // Completed but not verified: the card stays, with nothing left to do, and no points yet.
        await Assertions.Expect(card).ToContainTextAsync("Completed");
        await Assertions.Expect(card.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("My points: 0", new() { Exact = true })).ToBeVisibleAsync();
        await Screenshot(page, "app-complete-without-code");

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Completed, stored.Status);
        Assert.Null(stored.Verification);
        Assert.Equal(0, (await staff.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points")).Balance);
    }

    private async Task<IPage> SignedIn(string volunteer)
    {
        var page = await NewPage("en-US");
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, volunteer);
        return page;
    }

    private static Task<HistoryEntry[]> History(DispatchClient client, Guid id) =>
        client.GetOk<HistoryEntry[]>($"/api/requests/{id}/history");
}
