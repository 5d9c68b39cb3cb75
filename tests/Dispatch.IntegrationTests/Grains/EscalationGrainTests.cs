using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.IntegrationTests.Support;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.Volunteers;
using Orleans.Core.Internal;
using Orleans.Runtime;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// Deadlines on a two-silo cluster whose grains, timers and reminders run on a fake clock: the
/// test advances time, and the grains' own timers (or, for a grain not in memory, its reminder)
/// do the rest.
/// </summary>
public sealed class EscalationGrainTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    private static readonly EscalationPolicy TwoSeconds = new(
        TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));

    private IGrainFactory Grains => fixture.Grains;

    private Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => fixture.Clock!;

    [Fact]
    public async Task An_unclaimed_urgent_wish_climbs_a_level_every_two_seconds_to_the_region()
    {
        var community = GrainWorld.Unique("e");
        await Grains.CreateCommunity(community);
        var request = await CreateWithTwoSecondPolicy(community, RequestKind.Errand);
        var grain = Grains.GetGrain<IRequestGrain>(request.Id);

        Clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal(0, (await grain.NextTurn()).EscalationLevel);

        (int Level, string Place)[] ladder = [(1, $"{community}-t"), (2, $"{community}-c"), (3, $"{community}-r")];
        foreach (var (level, place) in ladder)
        {
            Clock.Advance(TimeSpan.FromSeconds(2));
            var view = await LevelReached(grain, level);
            Assert.Equal(level, view.EscalationLevel);
            Assert.Equal(place, view.EscalationPlaceId);
            Assert.True(view.Overdue);
        }

        // At the top: ten more seconds climb no further.
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, (await grain.NextTurn()).EscalationLevel);
        var history = (await grain.GetHistory())!.Value;
        Assert.Equal(3, history.Count(h => h.Action == RequestAction.Escalated));
        Assert.All(history.Where(h => h.Action == RequestAction.Escalated), h => Assert.Equal(ServiceRequest.SystemActor, h.Actor));
        Assert.Contains($"{community}-r", history[^1].Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_stage_escalates_when_its_own_deadline_passes()
    {
        var community = GrainWorld.Unique("s");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        var actor = new Actor(volunteer, AccountRole.Volunteer);
        var request = await CreateWithTwoSecondPolicy(community, RequestKind.Wish);
        var grain = Grains.GetGrain<IRequestGrain>(request.Id);

        // Claimed at once; not started: the start deadline escalates (and the claim expires).
        Assert.True((await grain.Claim(new Claimant(volunteer, community))).Won);
        Clock.Advance(TimeSpan.FromSeconds(2));
        var afterStart = await LevelReached(grain, 1);
        Assert.Equal(Stage.Start, afterStart.OverdueStage);
        Assert.Empty(afterStart.Claimants);

        // Claimed again and started: the complete deadline escalates next.
        Assert.True((await grain.Claim(new Claimant(volunteer, community))).Won);
        Assert.True((await grain.Start(actor)).Succeeded);
        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(Stage.Complete, (await LevelReached(grain, 2)).OverdueStage);

        // Completed: the verify deadline escalates last.
        Assert.True((await grain.Complete(actor, "done", checkInCode: null)).Succeeded);
        Assert.False((await grain.Get())!.Overdue);
        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(Stage.Verify, (await LevelReached(grain, 3)).OverdueStage);

        // Verified: nothing is pending any more.
        Assert.True((await grain.Verify(GrainWorld.Staff, approved: true, rating: 4, comment: null)).Succeeded);
        Assert.Empty((await grain.Get())!.Deadlines);
    }

    [Fact]
    public async Task Acknowledging_stops_the_climb_and_makes_the_first_responder_the_owner()
    {
        var community = GrainWorld.Unique("a");
        await Grains.CreateCommunity(community);
        var request = await CreateWithTwoSecondPolicy(community, RequestKind.Case);
        var grain = Grains.GetGrain<IRequestGrain>(request.Id);
        Clock.Advance(TimeSpan.FromSeconds(2));
        await LevelReached(grain, 1);

        var first = new Actor("town-officer", AccountRole.Staff, $"{community}-t");
        var second = new Actor("county-officer", AccountRole.Staff, $"{community}-c");
        Assert.Equal("town-officer", (await grain.Acknowledge(first)).Value!.Owner);
        var acknowledged = (await grain.Acknowledge(second)).Value!;
        Assert.Equal("town-officer", acknowledged.Owner);
        Assert.Equal<string>(["county-officer"], acknowledged.Supervisors);
        Assert.DoesNotContain(acknowledged.Deadlines, d => d.Kind == DeadlineKind.Escalation);

        Clock.Advance(TimeSpan.FromSeconds(30));
        var later = await grain.NextTurn();
        Assert.Equal(1, later.EscalationLevel);
        Assert.True(later.Overdue);
    }

    [Fact]
    public async Task An_owned_request_that_escalates_brings_in_the_staff_of_the_level_it_reaches()
    {
        var community = GrainWorld.Unique("o");
        await Grains.CreateCommunity(community);
        await Grains.GetGrain<IPlaceGrain>(GrainKeys.Place($"{community}-t")).AddStaff("town-secretary");
        var request = await CreateWithTwoSecondPolicy(community, RequestKind.Case);
        var grain = Grains.GetGrain<IRequestGrain>(request.Id);
        Assert.True((await grain.Acknowledge(new Actor("grid-worker", AccountRole.Staff))).Succeeded);

        Clock.Advance(TimeSpan.FromSeconds(2));
        var escalated = await LevelReached(grain, 1);

        Assert.Equal("grid-worker", escalated.Owner);
        Assert.Contains("town-secretary", escalated.Supervisors);
        var history = (await grain.GetHistory())!.Value;
        Assert.Contains(history, h => h.Action == RequestAction.Escalated && h.Note!.Contains("owner 'grid-worker'", StringComparison.Ordinal));
        Assert.Contains(history, h => h.Action == RequestAction.SupervisorsAdded && h.Note == "town-secretary");
    }

    [Fact]
    public async Task Ownership_moves_only_by_a_handover_the_receiver_accepts()
    {
        var community = GrainWorld.Unique("h");
        await Grains.CreateCommunity(community);
        var grain = Grains.GetGrain<IRequestGrain>((await CreateWithTwoSecondPolicy(community, RequestKind.Case)).Id);
        var zhao = GrainWorld.Unique("zhao");
        await Grains.CreateStaff(zhao, community);
        var owner = new Actor("li", AccountRole.Staff);
        var next = new Actor(zhao, AccountRole.Staff);
        await grain.Acknowledge(owner);

        Assert.Equal("notOwner", (await grain.Handover(next, zhao)).Failure?.Code);
        Assert.Equal("invalid", (await grain.Handover(owner, "nobody-here")).Failure?.Code);
        Assert.Equal(zhao, (await grain.Handover(owner, zhao)).Value!.HandoverTo);
        Assert.Equal("noHandover", (await grain.AcceptHandover(new Actor("wu", AccountRole.Staff))).Failure?.Code);
        var accepted = (await grain.AcceptHandover(next)).Value!;

        Assert.Equal(zhao, accepted.Owner);
        Assert.Null(accepted.HandoverTo);
        Assert.Contains("li", accepted.Supervisors);
        var actions = (await grain.GetHistory())!.Value.Select(h => h.Action).ToList();
        Assert.Contains(RequestAction.HandoverOffered, actions);
        Assert.Contains(RequestAction.HandoverAccepted, actions);
    }

    [Fact]
    public async Task A_claim_not_started_in_time_is_released_and_the_volunteer_gets_the_slot_back()
    {
        var community = GrainWorld.Unique("x");
        var volunteers = await Grains.CreateCommunityWithVolunteers(community, 2);
        var grain = Grains.GetGrain<IRequestGrain>((await CreateWithTwoSecondPolicy(community, RequestKind.Activity, places: 3)).Id);
        Assert.True((await grain.Claim(new Claimant(volunteers[0], community))).Won);
        Clock.Advance(TimeSpan.FromSeconds(1));

        // Not yet: a claim is an interleaving call and would not wait for a timer turn, so read first.
        Assert.Equal<string>([volunteers[0]], (await grain.NextTurn()).Claimants);
        Assert.True((await grain.Claim(new Claimant(volunteers[1], community))).Won);
        Assert.Equal(2, (await grain.Get())!.Deadlines.Count(d => d.Kind == DeadlineKind.ClaimExpiry));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var afterFirst = await Eventually.Get(() => grain.Get(), v => v!.Claimants.Length == 1);
        Assert.Equal<string>([volunteers[1]], afterFirst!.Claimants);
        var slots = await Eventually.Get(
            () => Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(volunteers[0])).Get(),
            v => v!.ActiveClaims.IsEmpty);
        Assert.Empty(slots!.ActiveClaims);
        Assert.Contains((await grain.GetHistory())!.Value, h => h.Action == RequestAction.ClaimExpired && h.Note!.Contains(volunteers[0], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_not_in_memory_is_woken_by_its_reminder_when_a_deadline_passes()
    {
        var community = GrainWorld.Unique("r");
        await Grains.CreateCommunity(community);
        var request = await CreateWithTwoSecondPolicy(community, RequestKind.Errand);

        // Out of memory: only the reminder can bring it back.
        await Grains.GetGrain<IRequestGrain>(request.Id).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var management = Grains.GetGrain<IManagementGrain>(0);
        await Eventually.Get(async () => await ActivationCount(management, request.Id), count => count == 0);
        Assert.Equal(0, await ActivationCount(management, request.Id));

        Clock.Advance(TimeSpan.FromSeconds(3));

        // Read from storage, which does not activate the grain.
        var stored = await Eventually.Get(
            () => Task.FromResult(fixture.Storage.Peek<RequestGrain.State>("request", request.Id.ToString("N"))),
            s => s?.Request?.EscalationLevel >= 1);
        Assert.Equal(1, stored?.Request?.EscalationLevel);
    }

    private async Task<RequestView> CreateWithTwoSecondPolicy(string community, RequestKind kind, int places = 1)
    {
        await Grains.GetGrain<IPolicyGrain>(GrainKeys.Policies).Set(kind, Urgency.Urgent, TwoSeconds, "test");
        var request = await Grains.CreateRequest(community, kind, places, Urgency.Urgent);
        Assert.Equal(TwoSeconds, request.Policy);
        return request;
    }

    private static async Task<RequestView> LevelReached(IRequestGrain grain, int level) =>
        (await Eventually.Get(() => grain.Get(), v => v!.EscalationLevel >= level))!;

    private static async Task<int> ActivationCount(IManagementGrain management, Guid requestId)
    {
        var active = await management.GetActiveGrains(GrainType.Create("request"));
        return active.Count(g => g.ToString().Contains(requestId.ToString("N"), StringComparison.OrdinalIgnoreCase));
    }
}
