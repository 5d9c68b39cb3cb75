using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>The README's walk-through, through the real API on the embedded SQLite store.</summary>
public sealed class LifecycleTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    [Fact]
    public async Task A_wish_goes_from_published_to_verified_with_a_full_audit_trail()
    {
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As(World.Volunteer("m1", 1));

        var created = await staff.CreateRequest("m1");
        Assert.Equal(RequestStatus.Open, created.Status);
        Assert.NotNull(created.Beneficiary);

        var claimed = await volunteer.PostOk<RequestView>($"/api/requests/{created.Id}/claim");
        Assert.Equal(RequestStatus.Claimed, claimed.Status);
        Assert.Equal<string>([World.Volunteer("m1", 1)], claimed.Claimants);
        Assert.Equal("Xiao Ming", claimed.Beneficiary?.Name);

        await volunteer.PostOk<RequestView>($"/api/requests/{created.Id}/start");
        var completed = await volunteer.PostOk<RequestView>($"/api/requests/{created.Id}/complete", new { note = "Delivered to the school." });
        Assert.Equal(RequestStatus.Completed, completed.Status);
        Assert.Equal("Delivered to the school.", completed.CompletionNote);

        var verified = await staff.PostOk<RequestView>($"/api/requests/{created.Id}/verify", new { approved = true, rating = 5, comment = "Thank you" });
        Assert.Equal(RequestStatus.Verified, verified.Status);
        Assert.Equal(5, verified.Verification?.Rating);

        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{created.Id}/history");
        Assert.Equal(
            [RequestAction.Created, RequestAction.Claimed, RequestAction.Started, RequestAction.Completed, RequestAction.Verified],
            history.Select(h => h.Action));
        Assert.Equal(["staff-t1", World.Volunteer("m1", 1), World.Volunteer("m1", 1), World.Volunteer("m1", 1), "staff-t1"], history.Select(h => h.Actor));
        Assert.Equal([1, 2, 3, 4, 5], history.Select(h => h.Seq));
        Assert.Equal("Delivered to the school.", history[3].Note);
    }

    [Fact]
    public async Task An_activity_stays_open_until_its_last_place_is_taken_and_release_reopens_it()
    {
        using var staff = await World.As("staff-t1");
        using var first = await World.As(World.Volunteer("m2", 1));
        using var second = await World.As(World.Volunteer("m2", 2));
        var activity = await staff.CreateRequest("m2", kind: "activity", places: 2, title: "Free haircuts");

        var afterFirst = await first.PostOk<RequestView>($"/api/requests/{activity.Id}/claim");
        Assert.Equal(RequestStatus.Open, afterFirst.Status);
        Assert.Equal(1, afterFirst.FreePlaces);

        var afterSecond = await second.PostOk<RequestView>($"/api/requests/{activity.Id}/claim");
        Assert.Equal(RequestStatus.Claimed, afterSecond.Status);

        var released = await first.PostOk<RequestView>($"/api/requests/{activity.Id}/release");
        Assert.Equal(RequestStatus.Open, released.Status);
        Assert.Equal<string>([World.Volunteer("m2", 2)], released.Claimants);
        Assert.Null(released.Beneficiary); // No longer a claimant: the contact is hidden again.
    }

    [Fact]
    public async Task A_rejected_verification_sends_the_work_back_and_a_cancel_records_its_reason()
    {
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As(World.Volunteer("m1", 2));
        var request = await staff.CreateRequest("m1", kind: "errand", title: "Book a hospital appointment");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/start");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/complete");

        var rejected = await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = false, comment = "Not booked yet" });
        Assert.Equal(RequestStatus.InProgress, rejected.Status);

        var cancelled = await staff.PostOk<RequestView>($"/api/requests/{request.Id}/cancel", new { reason = "Resident moved away" });
        Assert.Equal(RequestStatus.Cancelled, cancelled.Status);
        Assert.Equal("Resident moved away", cancelled.CancelReason);

        var problem = await DispatchClient.Problem(
            await staff.Post($"/api/requests/{request.Id}/cancel", new { reason = "again" }), HttpStatusCode.Conflict);
        Assert.Equal("invalidTransition", problem["reason"]?.GetValue<string>());
    }

    [Fact]
    public async Task Every_lost_claim_says_why()
    {
        using var staff = await World.As("staff-t1");
        using var winner = await World.As(World.Volunteer("m1", 1));
        using var loser = await World.As(World.Volunteer("m1", 2));
        var wish = await staff.CreateRequest("m1");
        await winner.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");

        Assert.Equal("alreadyClaimed", await Reason(winner, wish.Id, HttpStatusCode.Conflict));
        Assert.Equal("full", await Reason(loser, wish.Id, HttpStatusCode.Conflict));

        await winner.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        Assert.Equal("notOpen", await Reason(loser, wish.Id, HttpStatusCode.Conflict));

        using var outsider = await World.As(World.Volunteer("m3", 1));
        Assert.Equal("outsideCommunity", await Reason(outsider, wish.Id, HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(loser, Guid.NewGuid(), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task The_board_lists_filters_and_pages_and_the_counters_follow()
    {
        using var admin = await World.App.Admin();
        await admin.CreatePlace("board-town", "town", "c1");
        await admin.CreatePlace("board", "community", "board-town");
        await admin.CreateAccount("board-vol", "volunteer", "board");
        using var volunteer = await World.App.LoginAs("board-vol", World.Password);
        for (var i = 0; i < 3; i++)
        {
            await admin.CreateRequest("board", kind: "wish", title: $"Wish {i}");
        }

        var activity = await admin.CreateRequest("board", kind: "activity", places: 3, title: "Free clinic");
        await volunteer.PostOk<RequestView>($"/api/requests/{activity.Id}/claim");

        var wishes = await volunteer.GetOk<JsonObject>("/api/communities/board/requests?status=open&kind=wish&page=1&pageSize=2");
        Assert.Equal(3, wishes["total"]!.GetValue<int>());
        Assert.Equal(2, wishes["items"]!.AsArray().Count);
        var secondPage = await volunteer.GetOk<JsonObject>("/api/communities/board/requests?status=open&kind=wish&page=2&pageSize=2");
        Assert.Single(secondPage["items"]!.AsArray());

        var community = await Eventually.Get(
            () => admin.GetOk<JsonObject>("/api/communities/board"),
            c => c["counters"]!["open"]!.GetValue<int>() == 4);
        Assert.Equal(4, community["counters"]!["open"]!.GetValue<int>());
        Assert.Equal(1, community["counters"]!["registeredVolunteers"]!.GetValue<int>());
        var claimedActivity = await Eventually.Get(
            () => admin.GetOk<JsonObject>("/api/communities/board/requests?kind=activity"),
            page => page["items"]![0]!["claimantCount"]!.GetValue<int>() == 1);
        Assert.Equal(1, claimedActivity["items"]![0]!["claimantCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_volunteer_cannot_hold_more_claims_than_the_limit()
    {
        using var admin = await World.App.Admin();
        await admin.CreateAccount("busy-vol", "volunteer", "m1");
        using var volunteer = await World.App.LoginAs("busy-vol", World.Password);
        var requests = new List<RequestView>();
        for (var i = 0; i < 6; i++)
        {
            requests.Add(await admin.CreateRequest("m1", title: $"Errand {i}"));
        }

        for (var i = 0; i < 5; i++)
        {
            await volunteer.PostOk<RequestView>($"/api/requests/{requests[i].Id}/claim");
        }

        Assert.Equal("claimLimit", await Reason(volunteer, requests[5].Id, HttpStatusCode.Conflict));

        // Releasing one frees a slot.
        await volunteer.PostOk<RequestView>($"/api/requests/{requests[0].Id}/release");
        await volunteer.PostOk<RequestView>($"/api/requests/{requests[5].Id}/claim");
        var profile = await volunteer.GetOk<JsonObject>("/api/volunteers/busy-vol");
        Assert.Equal(5, profile["activeClaims"]!.AsArray().Count);
    }

    internal static async Task<string?> Reason(DispatchClient client, Guid requestId, HttpStatusCode status)
    {
        var problem = await DispatchClient.Problem(await client.Post($"/api/requests/{requestId}/claim"), status);
        return problem["reason"]?.GetValue<string>();
    }
}
