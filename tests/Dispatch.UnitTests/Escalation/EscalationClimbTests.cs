using Dispatch.Escalation;
using Dispatch.Requests;
using static Dispatch.UnitTests.Support.Given;

namespace Dispatch.UnitTests.Escalation;

/// <summary>Rule 2: a missed deadline escalates one level, then the request climbs every EscalateEvery up to the region.</summary>
public sealed class EscalationClimbTests
{
    [Fact]
    public void Levels_map_to_the_place_path_from_the_community_up_to_the_region()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);

        Assert.Equal<string>(["m", "t", "c", "r"], Enumerable.Range(0, 4).Select(request.PlaceAtLevel));
        Assert.Equal("m", request.EscalationPlaceId);
    }

    [Fact]
    public void Without_a_place_path_every_level_is_the_community()
    {
        var request = ServiceRequest.Create(Guid.NewGuid(), UrgentWish(), GridWorker, Morning, TwoSeconds);

        request.Advance(At(100));

        Assert.Equal(ServiceRequest.MaxLevel, request.EscalationLevel);
        Assert.Equal(CommunityId, request.EscalationPlaceId);
    }

    [Fact]
    public void A_missed_claim_deadline_escalates_to_level_1_and_schedules_the_next_climb()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);

        var events = request.Advance(At(2));

        Assert.Equal<ClockEvent>([new ClockEvent(DeadlineKind.Stage, 1, "t", null)], events);
        Assert.Equal(1, request.EscalationLevel);
        Assert.Equal("t", request.EscalationPlaceId);
        Assert.True(request.Overdue);
        Assert.Equal(Stage.Claim, request.OverdueStage);
        Assert.False(request.Acknowledged);
        Assert.Equal(At(4), request.NextClimbAt);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal<Deadline>([new Deadline(DeadlineKind.Escalation, Stage.Claim, At(4), Level: 2)], request.Deadlines());
    }

    [Fact]
    public void The_escalation_is_recorded_by_the_system_with_the_level_and_its_place()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);

        request.Advance(At(2));

        Assert.Equal(2, request.Version);
        var entry = request.History[^1];
        Assert.Equal(2, entry.Seq);
        Assert.Equal(At(2), entry.At);
        Assert.Equal(ServiceRequest.SystemActor, entry.Actor);
        Assert.Equal("system", entry.Actor);
        Assert.Equal(RequestAction.Escalated, entry.Action);
        Assert.Equal(RequestStatus.Open, entry.From);
        Assert.Equal(RequestStatus.Open, entry.To);
        Assert.NotNull(entry.Note);
        Assert.Contains("level 1 (t)", entry.Note, StringComparison.Ordinal);
        Assert.Equal(At(2), request.UpdatedAt);
    }

    [Fact]
    public void An_urgent_wish_climbs_one_level_every_two_seconds_up_to_the_region_and_stops_there()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);

        Assert.Empty(request.Advance(At(1.9)));
        Assert.Equal(0, request.EscalationLevel);

        Assert.Equal<ClockEvent>([new ClockEvent(DeadlineKind.Stage, 1, "t", null)], request.Advance(At(2)));
        Assert.Empty(request.Advance(At(3.9)));
        Assert.Equal(1, request.EscalationLevel);

        Assert.Equal<ClockEvent>([new ClockEvent(DeadlineKind.Escalation, 2, "c", null)], request.Advance(At(4)));
        Assert.Equal(2, request.EscalationLevel);
        Assert.Equal("c", request.EscalationPlaceId);
        Assert.Equal(At(6), request.NextClimbAt);
        Assert.Contains("level 2 (c)", request.History[^1].Note, StringComparison.Ordinal);

        Assert.Equal<ClockEvent>([new ClockEvent(DeadlineKind.Escalation, 3, "r", null)], request.Advance(At(6)));
        Assert.Equal(3, request.EscalationLevel);
        Assert.Equal("r", request.EscalationPlaceId);
        Assert.Contains("level 3 (r)", request.History[^1].Note, StringComparison.Ordinal);

        // At the top: still overdue, but nothing left to climb to.
        Assert.Null(request.NextClimbAt);
        Assert.Empty(request.Deadlines());
        Assert.Null(request.NextDue);
        var version = request.Version;
        Assert.Empty(request.Advance(At(8)));
        Assert.Empty(request.Advance(At(3600)));
        Assert.Equal(3, request.EscalationLevel);
        Assert.True(request.Overdue);
        Assert.Equal(version, request.Version);
    }

    [Theory]
    [InlineData(1.9, 0, "m")]
    [InlineData(2, 1, "t")]
    [InlineData(3.9, 1, "t")]
    [InlineData(4, 2, "c")]
    [InlineData(5.9, 2, "c")]
    [InlineData(6, 3, "r")]
    [InlineData(100, 3, "r")]
    public void The_level_at_a_given_time_follows_the_two_second_steps(double seconds, int level, string place)
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);

        var events = request.Advance(At(seconds));

        Assert.Equal(level, request.EscalationLevel);
        Assert.Equal(place, request.EscalationPlaceId);
        Assert.Equal(level, events.Length);
        Assert.Equal(level > 0, request.Overdue);
        Assert.Equal(level, request.History.Count(h => h.Action == RequestAction.Escalated));
    }

    [Fact]
    public void The_climb_interval_is_EscalateEvery_not_the_stage_time()
    {
        var policy = PolicyOf(TimeSpan.FromMinutes(10)) with { EscalateEvery = TimeSpan.FromMinutes(3) };
        var request = UnderPolicy(UrgentWish(), policy);

        request.Advance(Morning.AddMinutes(10));
        Assert.Equal(Morning.AddMinutes(13), request.NextClimbAt);

        request.Advance(Morning.AddMinutes(15.9));
        Assert.Equal(2, request.EscalationLevel);
        Assert.Equal(Morning.AddMinutes(16), request.NextClimbAt);

        request.Advance(Morning.AddMinutes(16));
        Assert.Equal(3, request.EscalationLevel);
    }

    [Fact]
    public void A_missed_deadline_at_the_top_level_keeps_the_request_at_the_top()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.Advance(At(6));
        Assert.Equal(3, request.EscalationLevel);
        request.ApplyClaim("li.na", At(7));
        Assert.False(request.Overdue);

        var events = request.Advance(At(9));

        Assert.Equal(3, request.EscalationLevel);
        Assert.True(request.Overdue);
        Assert.Equal(Stage.Start, request.OverdueStage);
        Assert.Null(request.NextClimbAt);
        Assert.Equal<ClockEvent>(
            [new ClockEvent(DeadlineKind.Stage, 3, "r", null), new ClockEvent(DeadlineKind.ClaimExpiry, 3, "r", "li.na")],
            events);
    }
}
