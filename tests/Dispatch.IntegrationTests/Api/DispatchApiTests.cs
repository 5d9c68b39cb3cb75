using System.Net;
using System.Text.Json.Nodes;
using Dispatch.Escalation;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Requests;
using Dispatch.Volunteers;
using Dispatch.WebHost.Requests;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Api;

/// <summary>One Dispatch on a fake clock with a <see cref="World"/>, shared by the dispatch tests.</summary>
public sealed class DispatchApiFixture() : WorldFixture(new FakeTimeProvider(DateTimeOffset.UtcNow))
{
    protected override async Task ArrangeAsync()
    {
        // Critical errands: offers lapse after a minute, nothing else happens for a day.
        await Policies.Set(World.Admin, "errand", "critical", Policies.Quiet(offerWithin: "00:01:00"));

        // Critical wishes: unclaimed for two seconds, they climb to the town (offers as by default).
        await Policies.Set(World.Admin, "wish", "critical", Policies.Quiet(claimWithin: "00:00:02"));
    }
}

/// <summary>
/// Precise dispatch (精准派单) through the API: candidates and their ranking, offers to one
/// volunteer, accept and decline, the automatic cascade, the reserved place, refusals, and offers
/// that lapse on the fake clock.
/// </summary>
public sealed class DispatchApiTests(DispatchApiFixture fixture) : IClassFixture<DispatchApiFixture>
{
    private static int counter;

    private World World => fixture.World;

    private FakeTimeProvider Clock => fixture.Clock!;

    [Fact]
    public async Task Candidates_are_the_communitys_volunteers_with_the_skilled_one_first_and_reasons_for_each_score()
    {
        var community = await NewCommunity("t1");
        var plain = await NewVolunteer(community, "plain");
        var skilled = await NewVolunteer(community, "skilled", "GOODS", "repair", "cooking");
        var other = await NewVolunteer(community, "other", "cooking");
        using var staff = await World.As("staff-t1");
        var request = await CreateRequest(staff, community, categories: ["goods", "repair"]);

        var answer = await staff.GetOk<CandidatesResponse>($"/api/requests/{request.Id}/candidates");

        Assert.Equal(request.Id, answer.RequestId);
        Assert.Equal(community, answer.PoolPlaceId);
        Assert.Equal(3, answer.Candidates.Length);
        var first = answer.Candidates[0];
        Assert.Equal(skilled, first.Username);
        Assert.Equal($"User {skilled}", first.DisplayName);
        Assert.Equal(community, first.CommunityId);
        Assert.True(first.Available);
        Assert.Equal(["GOODS", "repair"], first.MatchedSkills.Order(StringComparer.Ordinal));
        Assert.Equal(40, first.Score);
        var skills = Assert.Single(first.Reasons, r => r.Factor == "skills");
        Assert.Equal(40, skills.Points);
        Assert.False(string.IsNullOrWhiteSpace(skills.Detail));
        Assert.Equal(first.Score, first.Reasons.Sum(r => r.Points));
        Assert.Equal((0, 5, 0, 0), (first.ActiveClaims, first.ClaimLimit, first.RecentCompletions, first.RecentDeclines));

        // Equal scores: by username.
        Assert.Equal([other, plain], answer.Candidates.Skip(1).Select(c => c.Username));
        Assert.All(answer.Candidates.Skip(1), c => Assert.Equal(0, c.Score));
        Assert.All(answer.Candidates.Skip(1), c => Assert.Empty(c.MatchedSkills));

        // A claimant is no longer a candidate; their load counts against them elsewhere.
        using var plainClient = await World.As(plain);
        await plainClient.PostOk<RequestView>($"/api/requests/{(await CreateRequest(staff, community)).Id}/claim");
        using var skilledClient = await World.As(skilled);
        var activity = await CreateRequest(staff, community, kind: "activity", places: 3, categories: ["goods"]);
        await skilledClient.PostOk<RequestView>($"/api/requests/{activity.Id}/claim");
        var forActivity = await staff.GetOk<CandidatesResponse>($"/api/requests/{activity.Id}/candidates");
        Assert.DoesNotContain(forActivity.Candidates, c => c.Username == skilled);
        var busy = Assert.Single(forActivity.Candidates, c => c.Username == plain);
        Assert.Equal(1, busy.ActiveClaims);
        Assert.Equal(-4, busy.Score);
        Assert.Contains(busy.Reasons, r => r.Factor == "activeClaims" && r.Points == -4);
        Assert.Equal([other, plain], forActivity.Candidates.Select(c => c.Username));
    }

    [Fact]
    public async Task Recent_verified_work_raises_a_candidate_and_an_overturned_one_no_longer_does()
    {
        var community = await NewCommunity("t1");
        var worker = await NewVolunteer(community, "worker");
        var idle = await NewVolunteer(community, "aidle");
        using var staff = await World.As("staff-t1");
        using var workerClient = await World.As(worker);
        var done = await CreateRequest(staff, community);
        await workerClient.PostOk<RequestView>($"/api/requests/{done.Id}/claim");
        await workerClient.PostOk<RequestView>($"/api/requests/{done.Id}/start");
        await workerClient.PostOk<RequestView>($"/api/requests/{done.Id}/complete", new { checkInCode = done.CheckInCode });
        var next = await CreateRequest(staff, community);

        var ranked = await staff.GetOk<CandidatesResponse>($"/api/requests/{next.Id}/candidates");

        Assert.Equal([worker, idle], ranked.Candidates.Select(c => c.Username));
        var best = ranked.Candidates[0];
        Assert.Equal((1, 0, 2.0), (best.RecentCompletions, best.ActiveClaims, best.Score));
        Assert.Contains(best.Reasons, r => r.Factor == "recentCompletions" && r.Points == 2);

        // Overturned: the work is in progress again (a load), and no longer a completion.
        await staff.PostOk<RequestView>($"/api/requests/{done.Id}/verify", new { approved = false, comment = "Not delivered" });
        var after = Assert.Single((await staff.GetOk<CandidatesResponse>($"/api/requests/{next.Id}/candidates")).Candidates, c => c.Username == worker);
        Assert.Equal(1, after.ActiveClaims);
        Assert.True(after.RecentCompletions == 0, $"An overturned completion still counts for the ranking: {string.Join("; ", after.Reasons)}");
    }

    [Fact]
    public async Task Consoles_see_each_offer_as_it_is_made_and_count_it_as_a_dispatch()
    {
        var community = await NewCommunity("t1");
        var first = await NewVolunteer(community, "first", "goods");
        var second = await NewVolunteer(community, "second");
        using var staff = await World.As("staff-t1");
        var wish = await CreateRequest(staff, community);
        await using var console = await ConsoleClient.Connect(fixture.App, staff);
        var snapshot = await console.Watch(community);
        Assert.Equal(0, snapshot.Counters.Dispatches);

        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { auto = true });
        var events = await console.Next(1);
        using var firstClient = await World.As(first);
        await firstClient.PostOk<RequestView>($"/api/requests/{wish.Id}/offer/decline");
        events.AddRange(await console.Next(1));

        Assert.Equal(2, events.Count);
        Assert.Equal([first, second], events.Select(e => e.Request?.OfferTo));
        Assert.Equal([1, 2], events.Select(e => e.Counters.Dispatches));
        Assert.Equal(2, events[^1].Request!.Dispatches.Offers);
        Assert.Equal(1, events[^1].Request!.Dispatches.Declined);
        Assert.Equal(2, (await console.Watch(community)).Counters.Dispatches);
    }

    [Fact]
    public async Task Candidates_are_for_staff_in_scope_only()
    {
        using var staff = await World.As("staff-t1");
        var request = await staff.CreateRequest("m1");
        using var farStaff = await World.As("staff-m3");
        using var volunteer = await World.As(World.Volunteer("m1", 1));

        await DispatchClient.Problem(await farStaff.Get($"/api/requests/{request.Id}/candidates"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await volunteer.Get($"/api/requests/{request.Id}/candidates"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await staff.Get($"/api/requests/{Guid.NewGuid()}/candidates"), HttpStatusCode.NotFound);
        var admin = await World.Admin.GetOk<CandidatesResponse>($"/api/requests/{request.Id}/candidates");
        Assert.Equal("m1", admin.PoolPlaceId);
        Assert.All(admin.Candidates, c => Assert.Equal("m1", c.CommunityId));
    }

    [Fact]
    public async Task A_dispatched_wish_is_reserved_for_the_volunteer_until_they_accept_it()
    {
        var community = await NewCommunity("t1");
        var chosen = await NewVolunteer(community, "chosen");
        var rival = await NewVolunteer(community, "rival");
        using var staff = await World.As("staff-t1");
        var wish = await CreateRequest(staff, community);

        var offered = await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer = chosen });

        Assert.Equal(RequestStatus.Open, offered.Status);
        Assert.Empty(offered.Claimants);
        var offer = Assert.IsType<DispatchOffer>(offered.Offer);
        Assert.Equal((chosen, "staff-t1", false), (offer.Volunteer, offer.By, offer.Auto));
        Assert.Equal(Clock.GetUtcNow(), offer.At);
        Assert.Equal(offer.At + TimeSpan.FromMinutes(30), offer.ExpiresAt);
        Assert.Equal(0, offered.FreePlaces);

        // The place is reserved: others lose with a reason, and may not answer the offer.
        using var rivalClient = await World.As(rival);
        var lost = await DispatchClient.Problem(await rivalClient.Post($"/api/requests/{wish.Id}/claim"), HttpStatusCode.Conflict);
        Assert.Equal("reserved", lost["reason"]!.GetValue<string>());
        var notYours = await DispatchClient.Problem(await rivalClient.Post($"/api/requests/{wish.Id}/offer/accept"), HttpStatusCode.Forbidden);
        Assert.Equal("noOffer", notYours["reason"]!.GetValue<string>());
        Assert.Equal("noOffer", (await DispatchClient.Problem(await rivalClient.Post($"/api/requests/{wish.Id}/offer/decline", new { }), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());

        using var chosenClient = await World.As(chosen);
        Assert.Contains(wish.Id, (await chosenClient.GetOk<VolunteerView>($"/api/volunteers/{chosen}")).PendingOffers);
        var seen = await chosenClient.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(chosen, seen.Offer?.Volunteer);
        Assert.Null(seen.CheckInCode);

        var accepted = await chosenClient.PostOk<RequestView>($"/api/requests/{wish.Id}/offer/accept");

        Assert.Equal(RequestStatus.Claimed, accepted.Status);
        Assert.Equal<string>([chosen], accepted.Claimants);
        Assert.Null(accepted.Offer);
        Assert.Null(accepted.CheckInCode);
        Assert.Equal("Xiao Ming", accepted.Beneficiary?.Name);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        Assert.Equal([RequestAction.Created, RequestAction.Offered, RequestAction.OfferAccepted], history.Select(h => h.Action));
        Assert.Equal(["staff-t1", "staff-t1", chosen], history.Select(h => h.Actor));
        Assert.Equal(RequestStatus.Claimed, history[^1].To);

        // Answered: accepting again, or declining now, finds no offer.
        Assert.Equal("noOffer", (await DispatchClient.Problem(await chosenClient.Post($"/api/requests/{wish.Id}/offer/accept"), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        Assert.Equal("noOffer", (await DispatchClient.Problem(await chosenClient.Post($"/api/requests/{wish.Id}/offer/decline", new { }), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());

        var volunteer = await staff.GetOk<VolunteerView>($"/api/volunteers/{chosen}");
        Assert.Contains(wish.Id, volunteer.ActiveClaims);
        Assert.DoesNotContain(wish.Id, volunteer.PendingOffers);
    }

    [Fact]
    public async Task The_offered_volunteer_may_also_take_the_reserved_place_by_claiming_it()
    {
        var community = await NewCommunity("t1");
        var chosen = await NewVolunteer(community, "chosen");
        using var staff = await World.As("staff-t1");
        var wish = await CreateRequest(staff, community);
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer = chosen });

        using var chosenClient = await World.As(chosen);
        var claimed = await chosenClient.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");

        Assert.Equal(RequestStatus.Claimed, claimed.Status);
        Assert.Null(claimed.Offer);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        Assert.Equal(RequestAction.OfferAccepted, history[^1].Action);
    }

    [Fact]
    public async Task A_declined_offer_opens_the_request_again_and_the_decline_counts_against_the_volunteer()
    {
        var community = await NewCommunity("t1");
        var first = await NewVolunteer(community, "first", "goods");
        var second = await NewVolunteer(community, "second");
        using var staff = await World.As("staff-t1");
        var wish = await CreateRequest(staff, community);
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer = first });
        using var firstClient = await World.As(first);

        await DispatchClient.Problem(await firstClient.Post($"/api/requests/{wish.Id}/offer/decline", new { reason = new string('x', RequestsApi.MaxReason + 1) }), HttpStatusCode.BadRequest);
        var declined = await firstClient.PostOk<RequestView>($"/api/requests/{wish.Id}/offer/decline", new { reason = "  Away this week  " });

        Assert.Equal(RequestStatus.Open, declined.Status);
        Assert.Null(declined.Offer);
        Assert.Empty(declined.Claimants);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        Assert.Equal([RequestAction.Created, RequestAction.Offered, RequestAction.OfferDeclined], history.Select(h => h.Action));
        Assert.Equal((first, "Away this week", RequestStatus.Open), (history[^1].Actor, history[^1].Note, history[^1].To));

        // A manual dispatch does not move on: nobody else was offered it.
        Assert.Null((await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Offer);
        var ranked = await staff.GetOk<CandidatesResponse>($"/api/requests/{wish.Id}/candidates");
        var decliner = Assert.Single(ranked.Candidates, c => c.Username == first);
        Assert.Equal(1, decliner.RecentDeclines);
        Assert.Contains(decliner.Reasons, r => r.Factor == "recentDeclines" && r.Points == -6);
        Assert.Equal(14, decliner.Score);

        // Another may claim it now.
        using var secondClient = await World.As(second);
        Assert.Equal(RequestStatus.Claimed, (await secondClient.PostOk<RequestView>($"/api/requests/{wish.Id}/claim")).Status);

        // A decline without a body is accepted too.
        var other = await CreateRequest(staff, community);
        await staff.PostOk<RequestView>($"/api/requests/{other.Id}/dispatch", new { volunteer = first });
        Assert.Null((await firstClient.PostOk<RequestView>($"/api/requests/{other.Id}/offer/decline")).Offer);
    }

    [Fact]
    public async Task An_automatic_dispatch_cascades_through_the_ranked_candidates_to_the_end_of_the_list()
    {
        var community = await NewCommunity("t1");
        var best = await NewVolunteer(community, "best", "goods", "repair");
        var good = await NewVolunteer(community, "good", "goods");
        var plain = await NewVolunteer(community, "plain");
        using var staff = await World.As("staff-t1");
        var wish = await CreateRequest(staff, community, categories: ["goods", "repair"]);

        var started = await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { auto = true });
        Assert.Equal((best, "staff-t1", true), (started.Offer?.Volunteer, started.Offer?.By, started.Offer?.Auto));

        foreach (var (volunteer, next) in new[] { (best, good), (good, plain), (plain, (string?)null) })
        {
            using var client = await World.As(volunteer);
            var answered = await client.PostOk<RequestView>($"/api/requests/{wish.Id}/offer/decline", new { reason = "busy" });
            Assert.Equal(RequestStatus.Open, answered.Status);
            Assert.Equal(next, answered.Offer?.Volunteer);
            if (next is not null)
            {
                Assert.True(answered.Offer!.Auto);
                Assert.Equal("system", answered.Offer.By);
                Assert.Equal(answered.Offer.At + TimeSpan.FromMinutes(30), answered.Offer.ExpiresAt);
            }
        }

        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        Assert.Equal(
            [RequestAction.Created, RequestAction.Offered, RequestAction.OfferDeclined, RequestAction.Offered, RequestAction.OfferDeclined, RequestAction.Offered, RequestAction.OfferDeclined],
            history.Select(h => h.Action));
        Assert.Equal(["staff-t1", "staff-t1", best, "system", good, "system", plain], history.Select(h => h.Actor));
        Assert.All(history, h => Assert.Equal(RequestStatus.Open, h.To));
        var open = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Null(open.Offer);
        Assert.Equal(1, open.FreePlaces);

        // Open again: anyone may claim it, and the three offers count as dispatches.
        using var plainClient = await World.As(plain);
        Assert.Equal(RequestStatus.Claimed, (await plainClient.PostOk<RequestView>($"/api/requests/{wish.Id}/claim")).Status);
        var counters = await Eventually.Get(() => staff.GetOk<JsonObject>($"/api/communities/{community}"), c => c["counters"]!["dispatches"]!.GetValue<int>() >= 3);
        Assert.Equal(3, counters["counters"]!["dispatches"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_automatic_dispatch_stops_at_the_first_candidate_who_accepts()
    {
        var community = await NewCommunity("t1");
        var best = await NewVolunteer(community, "best", "goods");
        var next = await NewVolunteer(community, "next");
        await NewVolunteer(community, "zlast");
        using var staff = await World.As("staff-t1");
        var wish = await CreateRequest(staff, community);
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { auto = true });

        using var bestClient = await World.As(best);
        Assert.Equal(next, (await bestClient.PostOk<RequestView>($"/api/requests/{wish.Id}/offer/decline")).Offer?.Volunteer);
        using var nextClient = await World.As(next);
        var accepted = await nextClient.PostOk<RequestView>($"/api/requests/{wish.Id}/offer/accept");

        Assert.Equal(RequestStatus.Claimed, accepted.Status);
        Assert.Equal<string>([next], accepted.Claimants);
        Assert.Null(accepted.Offer);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        Assert.Equal(2, history.Count(h => h.Action == RequestAction.Offered));
        Assert.Equal(RequestAction.OfferAccepted, history[^1].Action);
    }

    [Fact]
    public async Task An_offer_on_an_activity_reserves_one_place_and_the_others_stay_open_to_claims()
    {
        var community = await NewCommunity("t1");
        var chosen = await NewVolunteer(community, "chosen");
        var early = await NewVolunteer(community, "early");
        var late = await NewVolunteer(community, "late");
        using var staff = await World.As("staff-t1");
        var activity = await CreateRequest(staff, community, kind: "activity", places: 2);
        Assert.Equal(1, (await staff.PostOk<RequestView>($"/api/requests/{activity.Id}/dispatch", new { volunteer = chosen })).FreePlaces);

        using var earlyClient = await World.As(early);
        var afterEarly = await earlyClient.PostOk<RequestView>($"/api/requests/{activity.Id}/claim");
        Assert.Equal(RequestStatus.Open, afterEarly.Status);
        Assert.Equal(0, afterEarly.FreePlaces);
        using var lateClient = await World.As(late);
        Assert.Equal("reserved", (await DispatchClient.Problem(await lateClient.Post($"/api/requests/{activity.Id}/claim"), HttpStatusCode.Conflict))["reason"]!.GetValue<string>());

        // A claimant cannot be offered the request; a pending offer blocks another dispatch.
        Assert.Equal("alreadyClaimed", (await DispatchClient.Problem(await staff.Post($"/api/requests/{activity.Id}/dispatch", new { volunteer = early }), HttpStatusCode.Conflict))["reason"]!.GetValue<string>());
        Assert.Equal("offerPending", (await DispatchClient.Problem(await staff.Post($"/api/requests/{activity.Id}/dispatch", new { volunteer = late }), HttpStatusCode.Conflict))["reason"]!.GetValue<string>());

        using var chosenClient = await World.As(chosen);
        var full = await chosenClient.PostOk<RequestView>($"/api/requests/{activity.Id}/offer/accept");
        Assert.Equal(RequestStatus.Claimed, full.Status);
        Assert.Equal<string>([early, chosen], full.Claimants);
        Assert.Equal("full", (await DispatchClient.Problem(await lateClient.Post($"/api/requests/{activity.Id}/claim"), HttpStatusCode.Conflict))["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_pending_offer_is_withdrawn_when_the_request_is_cancelled()
    {
        var community = await NewCommunity("t1");
        var chosen = await NewVolunteer(community, "chosen");
        using var staff = await World.As("staff-t1");
        var wish = await CreateRequest(staff, community);
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer = chosen });

        var cancelled = await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/cancel", new { reason = "Resident moved away" });

        Assert.Equal(RequestStatus.Cancelled, cancelled.Status);
        Assert.Null(cancelled.Offer);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        Assert.Equal([RequestAction.Created, RequestAction.Offered, RequestAction.OfferWithdrawn, RequestAction.Cancelled], history.Select(h => h.Action));
        using var chosenClient = await World.As(chosen);
        Assert.Equal("noOffer", (await DispatchClient.Problem(await chosenClient.Post($"/api/requests/{wish.Id}/offer/accept"), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        Assert.Empty((await chosenClient.GetOk<VolunteerView>($"/api/volunteers/{chosen}")).PendingOffers);
    }

    [Fact]
    public async Task Bad_dispatches_are_refused_and_change_nothing()
    {
        var community = await NewCommunity("t1");
        var volunteer = await NewVolunteer(community, "v");
        using var staff = await World.As("staff-t1");
        var wish = await CreateRequest(staff, community);
        var path = $"/api/requests/{wish.Id}/dispatch";

        Assert.NotNull((await DispatchClient.Problem(await staff.Post(path, new { }), HttpStatusCode.BadRequest))["errors"]?["volunteer"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post(path, new { auto = false }), HttpStatusCode.BadRequest))["errors"]?["volunteer"]);
        var both = await DispatchClient.Problem(await staff.Post(path, new { volunteer, auto = true }), HttpStatusCode.BadRequest);
        Assert.True(both["errors"]?["auto"] is not null || both["errors"]?["volunteer"] is not null, both.ToJsonString());
        Assert.NotNull((await DispatchClient.Problem(await staff.Post(path, new { volunteer = "nobody-at-all" }), HttpStatusCode.BadRequest))["errors"]?["volunteer"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post(path, new { volunteer = "Not A Name!" }), HttpStatusCode.BadRequest))["errors"]?["volunteer"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post(path, new { volunteer = World.Volunteer("m1", 1) }), HttpStatusCode.BadRequest))["errors"]?["volunteer"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post(path, new { volunteer = "staff-t1" }), HttpStatusCode.BadRequest))["errors"]?["volunteer"]);
        await DispatchClient.Problem(await staff.PostRaw(path, """{"volunteer":"""), HttpStatusCode.BadRequest);
        await DispatchClient.Problem(await staff.PostRaw(path, """{"volunteer":["x"]}"""), HttpStatusCode.BadRequest);
        await DispatchClient.Problem(await staff.Post(path), HttpStatusCode.BadRequest);

        using var farStaff = await World.As("staff-m3");
        Assert.Equal("outOfScope", (await DispatchClient.Problem(await farStaff.Post(path, new { volunteer }), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        using var volunteerClient = await World.As(volunteer);
        await DispatchClient.Problem(await volunteerClient.Post(path, new { volunteer }), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await staff.Post($"/api/requests/{Guid.NewGuid()}/dispatch", new { volunteer }), HttpStatusCode.NotFound);

        var unchanged = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Null(unchanged.Offer);
        Assert.Equal(1, unchanged.Version);

        // A volunteer may be named in any spelling.
        Assert.Equal(volunteer, (await staff.PostOk<RequestView>(path, new { volunteer = volunteer.ToUpperInvariant() })).Offer?.Volunteer);

        // Nothing to dispatch once the request has moved on.
        var cancelled = await CreateRequest(staff, community);
        await staff.PostOk<RequestView>($"/api/requests/{cancelled.Id}/cancel", new { reason = "Withdrawn" });
        Assert.Equal("invalidTransition", (await DispatchClient.Problem(await staff.Post($"/api/requests/{cancelled.Id}/dispatch", new { volunteer }), HttpStatusCode.Conflict))["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_community_without_volunteers_has_no_candidates_for_an_automatic_dispatch()
    {
        var community = await NewCommunity("t1");
        using var staff = await World.As("staff-t1");
        var wish = await CreateRequest(staff, community);

        Assert.Empty((await staff.GetOk<CandidatesResponse>($"/api/requests/{wish.Id}/candidates")).Candidates);
        var problem = await DispatchClient.Problem(await staff.Post($"/api/requests/{wish.Id}/dispatch", new { auto = true }), HttpStatusCode.Conflict);
        Assert.Equal("noCandidates", problem["reason"]!.GetValue<string>());
        Assert.Null((await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Offer);
    }

    [Fact]
    public async Task A_volunteer_at_the_claim_limit_is_unavailable_ranked_last_and_left_out_of_an_automatic_dispatch()
    {
        var community = await NewCommunity("t1");
        var busy = await NewVolunteer(community, "busy", "goods");
        using var staff = await World.As("staff-t1");
        using var busyClient = await World.As(busy);
        for (var i = 0; i < 5; i++)
        {
            await busyClient.PostOk<RequestView>($"/api/requests/{(await CreateRequest(staff, community)).Id}/claim");
        }

        var wish = await CreateRequest(staff, community);
        var ranked = await staff.GetOk<CandidatesResponse>($"/api/requests/{wish.Id}/candidates");
        var candidate = Assert.Single(ranked.Candidates);
        Assert.False(candidate.Available);
        Assert.Equal((5, 5), (candidate.ActiveClaims, candidate.ClaimLimit));
        Assert.Contains(candidate.Reasons, r => r.Factor == "availability");

        Assert.Equal("unavailable", (await DispatchClient.Problem(await staff.Post($"/api/requests/{wish.Id}/dispatch", new { volunteer = busy }), HttpStatusCode.Conflict))["reason"]!.GetValue<string>());
        Assert.Equal("noCandidates", (await DispatchClient.Problem(await staff.Post($"/api/requests/{wish.Id}/dispatch", new { auto = true }), HttpStatusCode.Conflict))["reason"]!.GetValue<string>());

        // With someone free, the free one is ranked first although the busy one has the skill.
        var free = await NewVolunteer(community, "free");
        ranked = await staff.GetOk<CandidatesResponse>($"/api/requests/{wish.Id}/candidates");
        Assert.Equal([free, busy], ranked.Candidates.Select(c => c.Username));
        Assert.Equal(free, (await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { auto = true })).Offer?.Volunteer);
    }

    [Fact]
    public async Task An_unanswered_offer_lapses_after_the_policys_offer_time_and_the_cascade_moves_on()
    {
        var community = await NewCommunity("t1");
        var best = await NewVolunteer(community, "best", "goods");
        var next = await NewVolunteer(community, "next");
        using var staff = await World.As("staff-t1");
        var errand = await CreateRequest(staff, community, kind: "errand", urgency: "critical");
        Assert.Equal(TimeSpan.FromMinutes(1), errand.Policy.OfferWithin);

        var offered = await staff.PostOk<RequestView>($"/api/requests/{errand.Id}/dispatch", new { auto = true });
        Assert.Equal(best, offered.Offer?.Volunteer);
        Assert.Equal(offered.Offer!.At + TimeSpan.FromMinutes(1), offered.Offer.ExpiresAt);
        Assert.Contains(offered.Deadlines, d => d.Kind == DeadlineKind.OfferExpiry && d.Volunteer == best && d.Due == offered.Offer.ExpiresAt);

        Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(best, (await staff.GetOk<RequestView>($"/api/requests/{errand.Id}")).Offer?.Volunteer);

        Clock.Advance(TimeSpan.FromSeconds(1));
        var moved = await Eventually.Get(() => staff.GetOk<RequestView>($"/api/requests/{errand.Id}"), r => r.Offer?.Volunteer != best);
        Assert.Equal(next, moved.Offer?.Volunteer);
        Assert.Equal(offered.Offer.ExpiresAt, moved.Offer!.At);
        Assert.Equal(offered.Offer.ExpiresAt + TimeSpan.FromMinutes(1), moved.Offer.ExpiresAt);

        // Too late for the first: their offer is gone.
        using var bestClient = await World.As(best);
        Assert.Equal("noOffer", (await DispatchClient.Problem(await bestClient.Post($"/api/requests/{errand.Id}/offer/accept"), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());

        Clock.Advance(TimeSpan.FromMinutes(1));
        var ended = await Eventually.Get(() => staff.GetOk<RequestView>($"/api/requests/{errand.Id}"), r => r.Offer is null);
        Assert.Null(ended.Offer);
        Assert.Equal(RequestStatus.Open, ended.Status);
        Assert.DoesNotContain(ended.Deadlines, d => d.Kind == DeadlineKind.OfferExpiry);

        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{errand.Id}/history");
        Assert.Equal(
            [RequestAction.Created, RequestAction.Offered, RequestAction.OfferLapsed, RequestAction.Offered, RequestAction.OfferLapsed],
            history.Select(h => h.Action));
        Assert.All(history.Where(h => h.Action == RequestAction.OfferLapsed), h => Assert.Equal("system", h.Actor));
        Assert.Contains(best, history[2].Note, StringComparison.Ordinal);
        Assert.Contains(next, history[4].Note, StringComparison.Ordinal);

        // Letting an offer lapse counts like a decline.
        var ranked = await staff.GetOk<CandidatesResponse>($"/api/requests/{errand.Id}/candidates");
        Assert.All(ranked.Candidates, c => Assert.Equal(1, c.RecentDeclines));
    }

    [Fact]
    public async Task A_single_offer_that_lapses_leaves_the_request_open_to_anyone()
    {
        var community = await NewCommunity("t1");
        var chosen = await NewVolunteer(community, "chosen");
        var other = await NewVolunteer(community, "other");
        using var staff = await World.As("staff-t1");
        var errand = await CreateRequest(staff, community, kind: "errand", urgency: "critical");
        await staff.PostOk<RequestView>($"/api/requests/{errand.Id}/dispatch", new { volunteer = chosen });
        using var otherClient = await World.As(other);
        Assert.Equal("reserved", (await DispatchClient.Problem(await otherClient.Post($"/api/requests/{errand.Id}/claim"), HttpStatusCode.Conflict))["reason"]!.GetValue<string>());

        Clock.Advance(TimeSpan.FromMinutes(1));
        var lapsed = await Eventually.Get(() => staff.GetOk<RequestView>($"/api/requests/{errand.Id}"), r => r.Offer is null);

        Assert.Null(lapsed.Offer);
        Assert.Equal(RequestStatus.Open, lapsed.Status);
        Assert.Equal(RequestAction.OfferLapsed, (await staff.GetOk<HistoryEntry[]>($"/api/requests/{errand.Id}/history"))[^1].Action);
        Assert.Equal(RequestStatus.Claimed, (await otherClient.PostOk<RequestView>($"/api/requests/{errand.Id}/claim")).Status);
    }

    [Fact]
    public async Task An_offer_lapses_from_the_offer_unless_the_volunteers_app_confirms_it_then_from_the_confirmation()
    {
        var community = await NewCommunity("t1");
        var away = await NewVolunteer(community, "away");
        var online = await NewVolunteer(community, "online");
        using var staff = await World.As("staff-t1");
        using var onlineClient = await World.As(online);
        await using var phone = await ConsoleClient.Connect(fixture.App, onlineClient);
        await phone.WatchInbox();

        // No confirming channel: the phone of "away" is not connected.
        var unconfirmed = await CreateRequest(staff, community, kind: "errand", urgency: "critical");
        var lapsing = (await staff.PostOk<RequestView>($"/api/requests/{unconfirmed.Id}/dispatch", new { volunteer = away })).Offer!;
        Assert.Null(lapsing.ReachedAt);
        Assert.Equal(lapsing.At + TimeSpan.FromMinutes(1), lapsing.ExpiresAt);

        // The app's live connection brings the offer to "online", whose phone acknowledges it 40 seconds later.
        var confirmed = await CreateRequest(staff, community, kind: "errand", urgency: "critical");
        var offered = (await staff.PostOk<RequestView>($"/api/requests/{confirmed.Id}/dispatch", new { volunteer = online })).Offer!;
        var notice = await phone.NextNotice(n => n.RequestId == confirmed.Id);
        Assert.Equal((NoticeKind.Offered, offered.ExpiresAt), (notice.Kind, notice.Until));
        Clock.Advance(TimeSpan.FromSeconds(40));
        var reachedAt = Clock.GetUtcNow();
        Assert.True(await phone.NoticeReceived(notice.Id));

        var restarted = (await staff.GetOk<RequestView>($"/api/requests/{confirmed.Id}")).Offer!;
        Assert.Equal((reachedAt, reachedAt + TimeSpan.FromMinutes(1)), (restarted.ReachedAt, restarted.ExpiresAt));
        var reached = (await staff.GetOk<HistoryEntry[]>($"/api/requests/{confirmed.Id}/history"))[^1];
        Assert.Equal((RequestAction.OfferReached, online, reachedAt), (reached.Action, reached.Actor, reached.At));

        // A repeat, later, moves nothing; nor does a notice the inbox does not hold.
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await phone.NoticeReceived(notice.Id));
        Assert.False(await phone.NoticeReceived(long.MaxValue));
        Assert.Equal(restarted, (await staff.GetOk<RequestView>($"/api/requests/{confirmed.Id}")).Offer);

        // At offer + one minute the unconfirmed offer lapses; the confirmed one waits.
        Clock.Advance(TimeSpan.FromSeconds(10));
        await Eventually.Get(() => staff.GetOk<RequestView>($"/api/requests/{unconfirmed.Id}"), r => r.Offer is null);
        Assert.Equal(RequestAction.OfferLapsed, (await staff.GetOk<HistoryEntry[]>($"/api/requests/{unconfirmed.Id}/history"))[^1].Action);
        Assert.Equal(online, (await staff.GetOk<RequestView>($"/api/requests/{confirmed.Id}")).Offer?.Volunteer);

        Clock.Advance(TimeSpan.FromSeconds(39));
        Assert.Equal(online, (await staff.GetOk<RequestView>($"/api/requests/{confirmed.Id}")).Offer?.Volunteer);

        // At confirmation + one minute it lapses.
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Get(() => staff.GetOk<RequestView>($"/api/requests/{confirmed.Id}"), r => r.Offer is null);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{confirmed.Id}/history");
        Assert.Equal(
            [RequestAction.Created, RequestAction.Offered, RequestAction.OfferReached, RequestAction.OfferLapsed],
            history.Select(h => h.Action));
        Assert.Contains(restarted.ExpiresAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture), history[^1].Note, StringComparison.Ordinal);

        // Too late now: the lapsed offer is not revived by a confirmation.
        Assert.True(await phone.NoticeReceived(notice.Id));
        Assert.Null((await staff.GetOk<RequestView>($"/api/requests/{confirmed.Id}")).Offer);
    }

    [Fact]
    public async Task A_policy_without_an_offer_time_gives_offers_thirty_minutes()
    {
        await Policies.Set(World.Admin, "case", "urgent", Policies.Quiet());
        var policies = await World.Admin.GetOk<PolicyEntry[]>("/api/policies");
        Assert.Equal(TimeSpan.FromMinutes(30), Assert.Single(policies, p => p.Kind == RequestKind.Case && p.Urgency == Urgency.Urgent).Policy.OfferWithin);
        Assert.Equal(TimeSpan.FromMinutes(1), Assert.Single(policies, p => p.Kind == RequestKind.Errand && p.Urgency == Urgency.Critical).Policy.OfferWithin);

        var bad = await DispatchClient.Problem(await World.Admin.Put("/api/policies/case/normal",
            Policies.Quiet(offerWithin: "-00:05:00")), HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]?["offerWithin"]);
    }

    [Fact]
    public async Task Once_a_request_has_climbed_to_the_town_its_candidates_come_from_the_whole_town()
    {
        var town = Fresh("town");
        await World.Admin.CreatePlace(town, "town", "c1");
        var home = await NewCommunity(town);
        var neighbour = await NewCommunity(town);
        var local = await NewVolunteer(home, "local");
        var far = await NewVolunteer(neighbour, "far", "goods");
        var admin = World.Admin;
        var wish = await admin.PostOk<RequestView>(
            "/api/requests",
            new { communityId = home, kind = "wish", title = "Urgent medicine", categories = new[] { "goods" }, urgency = "critical", points = 10, beneficiary = new { name = "Old Wang" } },
            HttpStatusCode.Created);

        var before = await admin.GetOk<CandidatesResponse>($"/api/requests/{wish.Id}/candidates");
        Assert.Equal(home, before.PoolPlaceId);
        Assert.Equal([local], before.Candidates.Select(c => c.Username));

        Clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.Get(() => admin.GetOk<RequestView>($"/api/requests/{wish.Id}"), r => r.EscalationLevel >= 1);
        var after = await admin.GetOk<CandidatesResponse>($"/api/requests/{wish.Id}/candidates");
        Assert.Equal(town, after.PoolPlaceId);
        Assert.Equal([far, local], after.Candidates.Select(c => c.Username));
        Assert.Equal(neighbour, after.Candidates[0].CommunityId);

        // The neighbour may see the offer and take it, though the request is not in their community.
        await admin.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { auto = true });
        using var farClient = await World.As(far);
        Assert.Equal(far, (await farClient.GetOk<RequestView>($"/api/requests/{wish.Id}")).Offer?.Volunteer);
        var accepted = await farClient.PostOk<RequestView>($"/api/requests/{wish.Id}/offer/accept");
        Assert.Equal<string>([far], accepted.Claimants);
        Assert.Equal(RequestStatus.Claimed, accepted.Status);
    }

    private static string Fresh(string prefix) => $"{prefix}-{Interlocked.Increment(ref counter)}";

    private async Task<string> NewCommunity(string town)
    {
        var id = Fresh("dc");
        await World.Admin.CreatePlace(id, "community", town);
        return id;
    }

    private async Task<string> NewVolunteer(string community, string name, params string[] skills)
    {
        var username = $"{Fresh(name)}-{community}".ToLowerInvariant();
        await World.Admin.CreateAccount(username, "volunteer", community, skills: skills);
        return username;
    }

    private static Task<RequestView> CreateRequest(
        DispatchClient staff, string community, string kind = "wish", int places = 1, string urgency = "normal", string[]? categories = null) =>
        staff.PostOk<RequestView>(
            "/api/requests",
            new
            {
                communityId = community,
                kind,
                title = $"A {kind}",
                categories = categories ?? ["goods"],
                urgency,
                places,
                points = 10,
                beneficiary = new { name = "Xiao Ming", phone = "138-0000-0000", address = "Building 3" },
            },
            HttpStatusCode.Created);
}
