using Dispatch.Escalation;
using Dispatch.Requests;
using static Dispatch.UnitTests.Support.Given;

namespace Dispatch.UnitTests.Escalation;

/// <summary>Rule 1 and 7: each stage's deadline counts from when the stage began; Deadlines() lists them all, soonest first.</summary>
public sealed class StageDeadlineTests
{
    /// <summary>A different time for each stage, so a deadline shows which stage it belongs to.</summary>
    private static readonly EscalationPolicy Distinct = new(
        ClaimWithin: TimeSpan.FromMinutes(10),
        StartWithin: TimeSpan.FromMinutes(20),
        CompleteWithin: TimeSpan.FromMinutes(30),
        VerifyWithin: TimeSpan.FromMinutes(40),
        EscalateEvery: TimeSpan.FromMinutes(5),
        OfferWithin: TimeSpan.FromMinutes(15));

    private static DateTimeOffset Min(double minutes) => Morning + TimeSpan.FromMinutes(minutes);

    [Fact]
    public void An_open_request_must_be_claimed_within_ClaimWithin_of_its_creation()
    {
        var request = UnderPolicy(Wish(), Distinct);

        Assert.Equal<Deadline>([new Deadline(DeadlineKind.Stage, Stage.Claim, Min(10))], request.Deadlines());
        Assert.Equal(Min(10), request.NextDue);
        Assert.Equal(Stage.Claim, request.CurrentStage);
        Assert.Equal(Morning, request.StageSince);
    }

    [Fact]
    public void A_claimed_request_must_be_started_within_StartWithin_of_the_claim()
    {
        var request = UnderPolicy(Wish(), Distinct);

        request.ApplyClaim("li.na", Min(3));

        Assert.Equal(Min(3), request.StageSince);
        Assert.Equal<Deadline>(
            [
                new Deadline(DeadlineKind.Stage, Stage.Start, Min(23)),
                new Deadline(DeadlineKind.ClaimExpiry, Stage.Start, Min(23), "li.na"),
            ],
            request.Deadlines());
        Assert.Equal(Min(23), request.NextDue);
    }

    [Fact]
    public void An_in_progress_request_must_be_completed_within_CompleteWithin_of_the_start()
    {
        var request = UnderPolicy(Wish(), Distinct);
        request.ApplyClaim("li.na", Min(3));

        Assert.Null(request.Start(Volunteer("li.na"), Min(5)));

        Assert.Equal(Min(5), request.StageSince);
        Assert.Equal<Deadline>([new Deadline(DeadlineKind.Stage, Stage.Complete, Min(35))], request.Deadlines());
        Assert.Equal(Min(35), request.NextDue);
    }

    [Fact]
    public void A_completed_request_must_be_verified_within_VerifyWithin_of_the_completion()
    {
        var request = UnderPolicy(Wish(), Distinct);
        request.ApplyClaim("li.na", Min(3));
        Assert.Null(request.Start(Volunteer("li.na"), Min(5)));

        Assert.Null(request.Complete(Volunteer("li.na"), "Delivered", Min(7)));

        Assert.Equal(Min(7), request.StageSince);
        Assert.Equal<Deadline>([new Deadline(DeadlineKind.Stage, Stage.Verify, Min(47))], request.Deadlines());
        Assert.Equal(Min(47), request.NextDue);
    }

    [Fact]
    public void A_verified_request_has_no_deadlines()
    {
        var request = UnderPolicy(Wish(), Distinct);
        request.ApplyClaim("li.na", Min(1));
        Assert.Null(request.Start(Volunteer("li.na"), Min(2)));
        Assert.Null(request.Complete(Volunteer("li.na"), null, Min(3)));

        Assert.Null(request.Verify(GridWorker, approved: true, rating: 5, null, Min(4)));

        Assert.Null(request.CurrentStage);
        Assert.Empty(request.Deadlines());
        Assert.Null(request.NextDue);
        Assert.Empty(request.Advance(Min(60 * 24 * 365)));
    }

    [Fact]
    public void A_cancelled_request_has_no_deadlines()
    {
        var request = UnderPolicy(Activity(3), Distinct);
        request.ApplyClaim("a", Min(1));

        Assert.Null(request.Cancel(GridWorker, "Rained off", Min(2)));

        Assert.Null(request.CurrentStage);
        Assert.Empty(request.Deadlines());
        Assert.Null(request.NextDue);
        Assert.Empty(request.Advance(Min(60 * 24 * 365)));
    }

    [Fact]
    public void Claims_on_an_open_activity_do_not_restart_its_claim_clock()
    {
        var request = UnderPolicy(Activity(3), Distinct);

        request.ApplyClaim("a", Min(1));
        request.ApplyClaim("b", Min(2));

        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal(Morning, request.StageSince);
        Assert.Equal(new Deadline(DeadlineKind.Stage, Stage.Claim, Min(10)), request.Deadlines()[0]);
    }

    [Fact]
    public void An_activity_with_three_places_and_two_claims_lists_the_claim_deadline_and_two_expiries()
    {
        var request = UnderPolicy(Activity(3), Distinct);

        request.ApplyClaim("a", Min(1));
        request.ApplyClaim("b", Min(4));

        Assert.Equal<Deadline>(
            [
                new Deadline(DeadlineKind.Stage, Stage.Claim, Min(10)),
                new Deadline(DeadlineKind.ClaimExpiry, Stage.Start, Min(21), "a"),
                new Deadline(DeadlineKind.ClaimExpiry, Stage.Start, Min(24), "b"),
            ],
            request.Deadlines());
    }

    [Fact]
    public void Deadlines_are_listed_soonest_first_whatever_their_kind()
    {
        // The claim deadline (30 min) falls after both expiries (1 + 20, 4 + 20 min).
        var policy = Distinct with { ClaimWithin = TimeSpan.FromMinutes(30) };
        var request = UnderPolicy(Activity(3), policy);

        request.ApplyClaim("b", Min(1));
        request.ApplyClaim("a", Min(4));

        Assert.Equal<Deadline>(
            [
                new Deadline(DeadlineKind.ClaimExpiry, Stage.Start, Min(21), "b"),
                new Deadline(DeadlineKind.ClaimExpiry, Stage.Start, Min(24), "a"),
                new Deadline(DeadlineKind.Stage, Stage.Claim, Min(30)),
            ],
            request.Deadlines());
        Assert.Equal(Min(21), request.NextDue);
    }

    [Fact]
    public void An_overdue_request_lists_the_next_climb_instead_of_the_missed_stage_deadline()
    {
        var request = UnderPolicy(Activity(3), Distinct with { StartWithin = TimeSpan.FromHours(1) });
        request.ApplyClaim("a", Min(1));
        Assert.NotEmpty(request.Advance(Min(10)));

        request.ApplyClaim("b", Min(12));

        Assert.Equal<Deadline>(
            [
                new Deadline(DeadlineKind.Escalation, Stage.Claim, Min(15), Level: 2),
                new Deadline(DeadlineKind.ClaimExpiry, Stage.Start, Min(61), "a"),
                new Deadline(DeadlineKind.ClaimExpiry, Stage.Start, Min(72), "b"),
            ],
            request.Deadlines());
        Assert.Equal(Min(15), request.NextDue);
    }

    [Fact]
    public void A_request_created_without_a_policy_gets_the_relaxed_one()
    {
        var request = Open(Wish());

        Assert.Equal(EscalationPolicy.Relaxed, request.Policy);
        Assert.Equal<Deadline>([new Deadline(DeadlineKind.Stage, Stage.Claim, Morning.AddDays(1))], request.Deadlines());
    }

    [Fact]
    public void Nothing_happens_before_the_first_deadline()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        var before = Snapshot(request);

        Assert.Empty(request.Advance(At(1.9)));

        Assert.Equal(before, Snapshot(request));
        Assert.Equal(0, request.EscalationLevel);
        Assert.False(request.Overdue);
        Assert.Null(request.OverdueStage);
        Assert.Null(request.NextClimbAt);
    }
}
