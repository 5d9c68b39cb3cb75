using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.Volunteers;
using Microsoft.Extensions.Time.Testing;
using Orleans.Core.Internal;
using Orleans.Runtime;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// Dispatch offers on a two-silo cluster whose grains, timers and reminders run on a fake clock:
/// offers that lapse, in a cascade, for a request not in memory, and at the claim limit.
/// </summary>
public sealed class DispatchGrainTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    /// <summary>Offers lapse after two seconds; nothing else is due for a day.</summary>
    private static readonly EscalationPolicy TwoSecondOffers = new(
        TimeSpan.FromDays(1), TimeSpan.FromDays(1), TimeSpan.FromDays(1), TimeSpan.FromDays(1), TimeSpan.FromDays(1), TimeSpan.FromSeconds(2));

    private IGrainFactory Grains => fixture.Grains;

    private FakeTimeProvider Clock => fixture.Clock!;

    [Fact]
    public async Task An_offer_not_answered_in_time_lapses_on_the_requests_own_timer()
    {
        var community = GrainWorld.Unique("l");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        var grain = await CreateRequest(community, RequestKind.Errand);

        var offered = (await grain.Dispatch(GrainWorld.Staff, [volunteer], auto: false)).Value!;
        Assert.Equal(offered.Offer!.At + TimeSpan.FromSeconds(2), offered.Offer.ExpiresAt);
        Assert.Contains(offered.Id, (await Volunteer(volunteer).Get())!.PendingOffers);

        Clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal(volunteer, (await grain.NextTurn()).Offer?.Volunteer);

        Clock.Advance(TimeSpan.FromSeconds(0.1));
        var lapsed = (await Eventually.Get(() => grain.Get(), v => v!.Offer is null))!;

        Assert.Null(lapsed.Offer);
        Assert.Equal(RequestStatus.Open, lapsed.Status);
        var history = (await grain.GetHistory())!.Value;
        var entry = history[^1];
        Assert.Equal((RequestAction.OfferLapsed, ServiceRequest.SystemActor, offered.Offer.ExpiresAt), (entry.Action, entry.Actor, entry.At));
        var summary = (await grain.GetSummary())!;
        Assert.Equal(new DispatchCounts(1, 0, 0, 1), summary.Dispatches);
        var record = (await Volunteer(volunteer).Get())!;
        Assert.Empty(record.PendingOffers);
        Assert.Contains(record.History, h => h.Action == VolunteerAction.OfferLapsed && h.RequestId == lapsed.Id);

        // Nothing else is due: no second lapse, no escalation, however long nobody answers. Past the
        // timer horizon only the reminder would act, and no read waits for it: so the request's own
        // deadlines show nothing due for a day, and its next turn shows nothing new.
        Clock.Advance(TimeSpan.FromMinutes(10));
        var later = await grain.NextTurn();
        var only = Assert.Single(later.Deadlines);
        Assert.Equal((DeadlineKind.Stage, Stage.Claim, (lapsed.CreatedAt + TimeSpan.FromDays(1)).UtcTicks), (only.Kind, only.Stage, only.Due.UtcTicks));
        Assert.Equal((0, false, history.Length), (later.EscalationLevel, later.Overdue, (await grain.GetHistory())!.Value.Length));
    }

    [Fact]
    public async Task A_cascade_moves_on_after_a_decline_and_after_a_lapse_until_someone_accepts()
    {
        var community = GrainWorld.Unique("c");
        var volunteers = await Grains.CreateCommunityWithVolunteers(community, 3);
        var grain = await CreateRequest(community, RequestKind.Errand);

        var first = (await grain.Dispatch(GrainWorld.Staff, [.. volunteers], auto: true)).Value!;
        Assert.Equal((volunteers[0], true), (first.Offer!.Volunteer, first.Offer.Auto));

        var second = (await grain.DeclineOffer(Actor(volunteers[0]), "Busy")).Value!;
        Assert.Equal(volunteers[1], second.Offer!.Volunteer);

        Clock.Advance(TimeSpan.FromSeconds(2));
        var third = (await Eventually.Get(() => grain.Get(), v => v!.Offer?.Volunteer == volunteers[2]))!;
        Assert.Equal(volunteers[2], third.Offer!.Volunteer);
        Assert.Equal(second.Offer.ExpiresAt, third.Offer.At);
        Assert.Equal(ServiceRequest.SystemActor, third.Offer.By);

        Assert.Equal("noOffer", (await grain.AcceptOffer(Actor(volunteers[1]))).Failure?.Code);
        var accepted = (await grain.AcceptOffer(Actor(volunteers[2]))).Value!;

        Assert.Equal(RequestStatus.Claimed, accepted.Status);
        Assert.Equal<string>([volunteers[2]], accepted.Claimants);
        Assert.Null(accepted.Offer);
        Assert.Equal(new DispatchCounts(3, 1, 1, 1), (await grain.GetSummary())!.Dispatches);
        Assert.Equal(
            [RequestAction.Created, RequestAction.Offered, RequestAction.OfferDeclined, RequestAction.Offered, RequestAction.OfferLapsed, RequestAction.Offered, RequestAction.OfferAccepted],
            (await grain.GetHistory())!.Value.Select(h => h.Action));

        // Accepted: the next lapse time passes and nothing happens.
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain((await grain.NextTurn()).Deadlines, d => d.Kind == DeadlineKind.OfferExpiry);
        Assert.Equal(RequestAction.OfferAccepted, (await grain.GetHistory())!.Value[^1].Action);
    }

    [Fact]
    public async Task Every_offer_of_a_cascade_nobody_answers_lapses_in_turn_and_the_request_is_open_again()
    {
        var community = GrainWorld.Unique("n");
        var volunteers = await Grains.CreateCommunityWithVolunteers(community, 3);
        var grain = await CreateRequest(community, RequestKind.Wish);
        var offered = (await grain.Dispatch(GrainWorld.Staff, [.. volunteers], auto: true)).Value!;

        // Woken late, all at once: each offer still lapses at its own time, one after the other.
        Clock.Advance(TimeSpan.FromSeconds(7));
        var open = (await Eventually.Get(() => grain.Get(), v => v!.Offer is null))!;

        Assert.Equal(RequestStatus.Open, open.Status);
        var history = (await grain.GetHistory())!.Value;
        Assert.Equal(3, history.Count(h => h.Action == RequestAction.OfferLapsed));
        var offers = history.Where(h => h.Action == RequestAction.Offered).ToList();
        Assert.Equal(3, offers.Count);
        var first = offered.Offer!.ExpiresAt;
        Assert.Contains($"until {first + TimeSpan.FromSeconds(2):u}", offers[1].Note, StringComparison.Ordinal);
        Assert.Contains($"until {first + TimeSpan.FromSeconds(4):u}", offers[2].Note, StringComparison.Ordinal);
        Assert.Equal(new DispatchCounts(3, 0, 0, 3), (await grain.GetSummary())!.Dispatches);
        Assert.True((await grain.Claim(new Claimant(volunteers[0], community))).Won);
    }

    [Fact]
    public async Task A_cascade_skips_a_candidate_who_claimed_a_place_meanwhile()
    {
        var community = GrainWorld.Unique("s");
        var volunteers = await Grains.CreateCommunityWithVolunteers(community, 3);
        var grain = await CreateRequest(community, RequestKind.Activity, places: 3);
        await grain.Dispatch(GrainWorld.Staff, [.. volunteers], auto: true);

        Assert.True((await grain.Claim(new Claimant(volunteers[1], community))).Won);
        var next = (await grain.DeclineOffer(Actor(volunteers[0]), null)).Value!;

        Assert.Equal(volunteers[2], next.Offer?.Volunteer);
        Assert.Equal(1, next.FreePlaces);
    }

    [Fact]
    public async Task An_offer_to_a_request_not_in_memory_lapses_when_its_reminder_wakes_it()
    {
        var community = GrainWorld.Unique("r");
        var volunteers = await Grains.CreateCommunityWithVolunteers(community, 2);
        var grain = await CreateRequest(community, RequestKind.Errand);
        var offered = (await grain.Dispatch(GrainWorld.Staff, [.. volunteers], auto: true)).Value!;

        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var management = Grains.GetGrain<IManagementGrain>(0);
        Assert.Equal(0, await Eventually.Get(() => ActivationCount(management, offered.Id), count => count == 0));

        Clock.Advance(TimeSpan.FromSeconds(3));

        // Read from storage, which does not activate the grain.
        var stored = await Eventually.Get(
            () => Task.FromResult(fixture.Storage.Peek<RequestGrain.State>("request", offered.Id.ToString("N"))),
            s => s?.Request?.Offer?.Volunteer == volunteers[1]);
        Assert.Equal(volunteers[1], stored?.Request?.Offer?.Volunteer);
        Assert.Equal(offered.Offer!.ExpiresAt, stored!.Request!.Offer!.At);
        Assert.Contains(stored.Request.History, h => h.Action == RequestAction.OfferLapsed);
    }

    [Fact]
    public async Task A_volunteer_at_the_claim_limit_cannot_accept_and_the_offer_waits_until_it_lapses()
    {
        var community = GrainWorld.Unique("k");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        for (var i = 0; i < 3; i++)
        {
            var other = await CreateRequest(community, RequestKind.Wish);
            Assert.True((await other.Claim(new Claimant(volunteer, community))).Won);
        }

        var grain = await CreateRequest(community, RequestKind.Errand);
        await grain.Dispatch(GrainWorld.Staff, [volunteer], auto: false);

        Assert.Equal("claimLimit", (await grain.AcceptOffer(Actor(volunteer))).Failure?.Code);
        var waiting = (await grain.Get())!;
        Assert.Equal(volunteer, waiting.Offer?.Volunteer);
        Assert.Empty(waiting.Claimants);

        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null((await Eventually.Get(() => grain.Get(), v => v!.Offer is null))!.Offer);
        Assert.Equal(3, (await Volunteer(volunteer).Get())!.ActiveClaims.Length);
    }

    private async Task<IRequestGrain> CreateRequest(string community, RequestKind kind, int places = 1)
    {
        await Grains.GetGrain<IPolicyGrain>(GrainKeys.Policies).Set(kind, Urgency.Critical, TwoSecondOffers, "test");
        var request = await Grains.CreateRequest(community, kind, places, Urgency.Critical);
        Assert.Equal(TimeSpan.FromSeconds(2), request.Policy.OfferWithin);
        return Grains.GetGrain<IRequestGrain>(request.Id);
    }

    private IVolunteerGrain Volunteer(string username) => Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username));

    private static Actor Actor(string username) => new(username, AccountRole.Volunteer);

    private static async Task<int> ActivationCount(IManagementGrain management, Guid requestId)
    {
        var active = await management.GetActiveGrains(GrainType.Create("request"));
        return active.Count(g => g.ToString().Contains(requestId.ToString("N"), StringComparison.OrdinalIgnoreCase));
    }
}
