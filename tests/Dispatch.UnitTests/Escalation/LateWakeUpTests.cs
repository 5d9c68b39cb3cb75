using Dispatch.Escalation;
using Dispatch.Requests;
using static Dispatch.UnitTests.Support.Given;

namespace Dispatch.UnitTests.Escalation;

/// <summary>
/// Rule 3: a request woken late (once, at +100 s) reaches the same state as one woken every second,
/// because every clock advances from its deadline's own time; each step still gets its own entry.
/// </summary>
public sealed class LateWakeUpTests
{
    /// <summary>A different time for every stage, so that stages, climbs and expiries interleave.</summary>
    private static readonly EscalationPolicy Mixed = new(
        ClaimWithin: TimeSpan.FromSeconds(7),
        StartWithin: TimeSpan.FromSeconds(3),
        CompleteWithin: TimeSpan.FromSeconds(11),
        VerifyWithin: TimeSpan.FromSeconds(5),
        EscalateEvery: TimeSpan.FromSeconds(4),
        OfferWithin: TimeSpan.FromSeconds(6));

    public static TheoryData<string> Scenarios => new()
    {
        "open urgent wish",
        "wish claimed at once",
        "activity claimed at different times",
        "activity filled at different times",
        "activity in progress",
        "completed wish",
        "open wish, slow climb",
        "acknowledged overdue wish claimed later",
    };

    [Fact]
    public void An_urgent_wish_woken_once_at_100_s_has_climbed_three_times_each_with_its_own_entry()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);

        var events = request.Advance(At(100));

        Assert.Equal<ClockEvent>(
            [
                new ClockEvent(DeadlineKind.Stage, 1, "t", null),
                new ClockEvent(DeadlineKind.Escalation, 2, "c", null),
                new ClockEvent(DeadlineKind.Escalation, 3, "r", null),
            ],
            events);
        var escalations = request.History.Where(h => h.Action == RequestAction.Escalated).ToList();
        Assert.Equal(3, escalations.Count);
        Assert.All(escalations, e => Assert.Equal(At(100), e.At));
        Assert.All(escalations, e => Assert.Equal(ServiceRequest.SystemActor, e.Actor));
        Assert.Contains("level 1 (t)", escalations[0].Note, StringComparison.Ordinal);
        Assert.Contains("level 2 (c)", escalations[1].Note, StringComparison.Ordinal);
        Assert.Contains("level 3 (r)", escalations[2].Note, StringComparison.Ordinal);
        Assert.Equal(4, request.Version);
    }

    [Fact]
    public void A_claim_expired_while_asleep_restarts_the_claim_clock_at_the_expiry_not_at_the_wake_up()
    {
        var request = UnderPolicy(Activity(3), Mixed with { ClaimWithin = TimeSpan.FromHours(1) });
        request.ApplyClaim("a", At(0));

        request.Advance(At(60));

        Assert.Empty(request.Claimants);
        Assert.Equal(At(60), request.History[^1].At);
        Assert.Equal(RequestAction.ClaimExpired, request.History[^1].Action);
        // Open all along: the claim clock still counts from creation.
        Assert.Equal(Morning, request.StageSince);

        var wish = UnderPolicy(Wish(), Mixed);
        wish.ApplyClaim("li.na", At(0));

        wish.Advance(At(4));

        // Claimed → open at the expiry (0 + 3 s), not at the wake-up (4 s).
        Assert.Equal(RequestStatus.Open, wish.Status);
        Assert.Equal(At(3), wish.StageSince);
        Assert.Equal(new Deadline(DeadlineKind.Stage, Stage.Claim, At(10)), wish.Deadlines().Single(d => d.Kind == DeadlineKind.Stage));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Waking_once_at_100_s_gives_the_same_state_as_waking_every_second(string scenario)
    {
        var stepwise = Build(scenario);
        var once = Build(scenario);
        var versionBefore = once.Version;

        var stepEvents = new List<ClockEvent>();
        for (var second = 1; second <= 100; second++)
        {
            stepEvents.AddRange(stepwise.Advance(At(second)));
        }

        var onceEvents = once.Advance(At(100));

        Assert.Equal(stepwise.EscalationLevel, once.EscalationLevel);
        Assert.Equal<Deadline>(stepwise.Deadlines(), once.Deadlines());
        Assert.Equal(stepwise.NextDue, once.NextDue);
        Assert.Equal(stepwise.Status, once.Status);
        Assert.Equal<string>(stepwise.Claimants, once.Claimants);
        Assert.Equal(stepwise.Overdue, once.Overdue);
        Assert.Equal(stepwise.OverdueStage, once.OverdueStage);
        Assert.Equal(stepwise.Acknowledged, once.Acknowledged);
        Assert.Equal(stepwise.NextClimbAt, once.NextClimbAt);
        Assert.Equal(stepwise.StageSince, once.StageSince);
        Assert.Equal(stepwise.EscalationPlaceId, once.EscalationPlaceId);
        Assert.Equal<ClockEvent>(stepEvents, onceEvents);

        // The same steps, each its own entry, in the same order; only the time of recording differs.
        Assert.Equal(stepwise.Version, once.Version);
        Assert.Equal(
            stepwise.History.Select(h => (h.Seq, h.Actor, h.Action, h.From, h.To, h.Note)),
            once.History.Select(h => (h.Seq, h.Actor, h.Action, h.From, h.To, h.Note)));
        Assert.Equal(onceEvents.Length, once.Version - versionBefore);
        Assert.All(once.History.Skip(versionBefore), h => Assert.Equal(At(100), h.At));
    }

    [Fact]
    public void The_scenarios_are_not_trivial()
    {
        foreach (var scenario in Scenarios)
        {
            var request = Build(scenario);
            Assert.NotEmpty(request.Advance(At(100)));
        }
    }

    private static ServiceRequest Build(string scenario)
    {
        ServiceRequest request;
        switch (scenario)
        {
            case "open urgent wish":
                return UnderPolicy(UrgentWish(), TwoSeconds);

            case "wish claimed at once":
                request = UnderPolicy(UrgentWish(), TwoSeconds);
                request.ApplyClaim("li.na", At(0));
                return request;

            case "activity claimed at different times":
                request = UnderPolicy(Activity(3), Mixed);
                request.ApplyClaim("a", At(0));
                request.ApplyClaim("b", At(0.5));
                return request;

            case "activity filled at different times":
                request = UnderPolicy(Activity(3), Mixed);
                request.ApplyClaim("a", At(0));
                request.ApplyClaim("b", At(0.25));
                request.ApplyClaim("c", At(0.5));
                return request;

            case "activity in progress":
                request = UnderPolicy(Activity(3), Mixed);
                request.ApplyClaim("a", At(0));
                request.ApplyClaim("b", At(0.5));
                Assert.Null(request.Start(Volunteer("a"), At(0.75)));
                return request;

            case "completed wish":
                request = UnderPolicy(Wish(), Mixed);
                request.ApplyClaim("li.na", At(0));
                Assert.Null(request.Start(Volunteer("li.na"), At(0)));
                Assert.Null(request.Complete(Volunteer("li.na"), "Delivered", At(0.5)));
                return request;

            case "open wish, slow climb":
                return UnderPolicy(Wish(), Mixed with { EscalateEvery = TimeSpan.FromSeconds(45) });

            case "acknowledged overdue wish claimed later":
                // Overdue at 7 s and acknowledged; the claim at 8 s ends that alert, and the
                // missed start (11 s) escalates again. Built by advancing to 8 s first.
                request = UnderPolicy(Wish(), Mixed);
                request.Advance(At(7));
                Assert.Null(request.Acknowledge(TownStaff, At(7.5)));
                request.ApplyClaim("li.na", At(8));
                return request;

            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }
    }
}
