using Dispatch.Escalation;
using Dispatch.Requests;
using static Dispatch.UnitTests.Support.Given;

namespace Dispatch.UnitTests.Escalation;

/// <summary>Rule 6: a claim not started within StartWithin of the claim is released by the request's clock.</summary>
public sealed class ClaimExpiryTests
{
    /// <summary>Ten minutes to start; an hour for everything else, so an expiry stands on its own.</summary>
    private static readonly EscalationPolicy TenMinutesToStart =
        PolicyOf(TimeSpan.FromHours(1)) with { StartWithin = TimeSpan.FromMinutes(10), EscalateEvery = TimeSpan.FromMinutes(5) };

    private static DateTimeOffset Min(double minutes) => Morning + TimeSpan.FromMinutes(minutes);

    [Fact]
    public void An_unstarted_claim_on_an_open_activity_is_released_at_claim_time_plus_StartWithin()
    {
        var request = UnderPolicy(Activity(3), TenMinutesToStart);
        request.ApplyClaim("a", Min(1));

        Assert.Empty(request.Advance(Min(11) - TimeSpan.FromSeconds(1)));
        var events = request.Advance(Min(11));

        Assert.Equal<ClockEvent>([new ClockEvent(DeadlineKind.ClaimExpiry, 0, "m", "a")], events);
        Assert.Empty(request.Claimants);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.False(request.HasActiveClaim("a"));
        Assert.Null(request.CheckClaim("a", CommunityId));
        Assert.Equal(0, request.EscalationLevel);
        Assert.False(request.Overdue);
        var entry = request.History[^1];
        Assert.Equal(RequestAction.ClaimExpired, entry.Action);
        Assert.Equal(ServiceRequest.SystemActor, entry.Actor);
        Assert.Equal(Min(11), entry.At);
        Assert.Equal(RequestStatus.Open, entry.From);
        Assert.Equal(RequestStatus.Open, entry.To);
        Assert.Contains("'a'", entry.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_one_place_wish_claimed_at_t_escalates_for_the_missed_start_first_then_loses_the_claim()
    {
        var request = UnderPolicy(Wish(), TenMinutesToStart);
        request.ApplyClaim("li.na", Min(1));
        var version = request.Version;

        var events = request.Advance(Min(11));

        Assert.Equal<ClockEvent>(
            [
                new ClockEvent(DeadlineKind.Stage, 1, "t", null),
                new ClockEvent(DeadlineKind.ClaimExpiry, 1, "t", "li.na"),
            ],
            events);
        Assert.Equal(version + 2, request.Version);
        var escalated = request.History[^2];
        var expired = request.History[^1];
        Assert.Equal(
            (ServiceRequest.SystemActor, RequestAction.Escalated, (RequestStatus?)RequestStatus.Claimed, RequestStatus.Claimed),
            (escalated.Actor, escalated.Action, escalated.From, escalated.To));
        Assert.Contains("level 1 (t)", escalated.Note, StringComparison.Ordinal);
        Assert.Equal(
            (ServiceRequest.SystemActor, RequestAction.ClaimExpired, (RequestStatus?)RequestStatus.Claimed, RequestStatus.Open),
            (expired.Actor, expired.Action, expired.From, expired.To));
        Assert.Contains("li.na", expired.Note, StringComparison.Ordinal);

        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Empty(request.Claimants);
        Assert.False(request.HasActiveClaim("li.na"));

        // Fallen back to open: the claim clock restarts at the expiry and the alert (with its climb) stays.
        Assert.True(request.Overdue);
        Assert.Equal(Stage.Start, request.OverdueStage);
        Assert.Equal(Min(11), request.StageSince);
        Assert.Equal(
            [(DeadlineKind.Escalation, Min(16), (int?)2), (DeadlineKind.Stage, Min(71), null)],
            request.Deadlines().Select(d => (d.Kind, d.Due, d.Level)));
    }

    [Fact]
    public void When_a_full_activity_loses_its_earliest_claim_it_opens_again_and_restarts_the_claim_clock()
    {
        var request = UnderPolicy(Activity(2), TenMinutesToStart);
        request.ApplyClaim("a", Min(1));
        request.ApplyClaim("b", Min(2));
        Assert.Equal(RequestStatus.Claimed, request.Status);

        var events = request.Advance(Min(11));

        Assert.Equal<ClockEvent>([new ClockEvent(DeadlineKind.ClaimExpiry, 0, "m", "a")], events);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal<string>(["b"], request.Claimants);
        Assert.Equal(Min(11), request.StageSince);
        Assert.False(request.Overdue);
        Assert.Equal(
            (RequestAction.ClaimExpired, (RequestStatus?)RequestStatus.Claimed, RequestStatus.Open),
            (request.History[^1].Action, request.History[^1].From, request.History[^1].To));
        Assert.Equal<Deadline>(
            [
                new Deadline(DeadlineKind.ClaimExpiry, Stage.Start, Min(12), "b"),
                new Deadline(DeadlineKind.Stage, Stage.Claim, Min(71)),
            ],
            request.Deadlines());
    }

    [Fact]
    public void Claims_expire_one_by_one_in_the_order_they_were_made()
    {
        var request = UnderPolicy(Activity(3), TenMinutesToStart);
        request.ApplyClaim("b", Min(1));
        request.ApplyClaim("a", Min(2));

        var events = request.Advance(Min(30));

        Assert.Equal(["b", "a"], events.Select(e => e.Volunteer));
        Assert.All(events, e => Assert.Equal(DeadlineKind.ClaimExpiry, e.Kind));
        Assert.Empty(request.Claimants);
        Assert.Equal(2, request.History.Count(h => h.Action == RequestAction.ClaimExpired));
    }

    [Fact]
    public void Claims_of_an_in_progress_activity_never_expire()
    {
        var request = UnderPolicy(Activity(3), TenMinutesToStart);
        request.ApplyClaim("a", Min(1));
        request.ApplyClaim("b", Min(2));

        Assert.Null(request.Start(Volunteer("a"), Min(3)));

        Assert.DoesNotContain(request.Deadlines(), d => d.Kind == DeadlineKind.ClaimExpiry);
        var events = request.Advance(Min(60 * 24 * 30));
        Assert.DoesNotContain(events, e => e.Kind == DeadlineKind.ClaimExpiry);
        Assert.DoesNotContain(request.History, h => h.Action == RequestAction.ClaimExpired);
        Assert.Equal<string>(["a", "b"], request.Claimants);
        Assert.Equal(RequestStatus.InProgress, request.Status);
    }

    [Fact]
    public void The_claim_of_an_in_progress_wish_never_expires()
    {
        var request = UnderPolicy(Wish(), TenMinutesToStart);
        request.ApplyClaim("li.na", Min(1));
        Assert.Null(request.Start(Volunteer("li.na"), Min(9)));

        request.Advance(Min(60 * 24 * 30));

        Assert.Equal<string>(["li.na"], request.Claimants);
        Assert.Equal(RequestStatus.InProgress, request.Status);
        Assert.DoesNotContain(request.History, h => h.Action == RequestAction.ClaimExpired);
    }

    [Fact]
    public void A_released_claim_has_no_expiry_left()
    {
        var request = UnderPolicy(Activity(3), TenMinutesToStart);
        request.ApplyClaim("a", Min(1));
        Assert.Null(request.Release(Volunteer("a"), Min(2)));

        Assert.DoesNotContain(request.Deadlines(), d => d.Kind == DeadlineKind.ClaimExpiry);
        Assert.Empty(request.Advance(Min(30)));
    }
}
