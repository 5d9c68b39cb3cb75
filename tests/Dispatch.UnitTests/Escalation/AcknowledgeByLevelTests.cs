using Dispatch.Common;
using Dispatch.Requests;
using static Dispatch.UnitTests.Support.Given;

namespace Dispatch.UnitTests.Escalation;

/// <summary>
/// Issue #16, item 11: once a request has climbed to level L, only staff at the place of level L or
/// above may acknowledge it, so the community that missed a deadline cannot silence its own alert.
/// </summary>
public sealed class AcknowledgeByLevelTests
{
    [Fact]
    public void The_community_that_missed_the_deadline_cannot_silence_the_towns_alert_and_nothing_changes()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.Advance(At(2));
        Assert.Equal(1, request.EscalationLevel);
        var before = Snapshot(request);

        var failure = request.Acknowledge(GridWorker, At(3));

        Assert.NotNull(failure);
        Assert.Equal(FailureKind.Forbidden, failure.Kind);
        Assert.Equal(ServiceRequest.BelowEscalationLevel, failure.Code);
        Assert.Contains("'t'", failure.Detail, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(request));
        Assert.Null(request.Owner);
        Assert.False(request.Acknowledged);
    }

    [Theory]
    [InlineData(1, "m", false)]
    [InlineData(1, "t", true)]
    [InlineData(1, "c", true)]
    [InlineData(2, "t", false)]
    [InlineData(2, "c", true)]
    [InlineData(3, "c", false)]
    [InlineData(3, "r", true)]
    public void Staff_answer_for_a_level_at_its_place_or_above(int level, string place, bool allowed)
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.Advance(At(2 * level));
        Assert.Equal(level, request.EscalationLevel);

        var failure = request.Acknowledge(new Actor("staff", AccountRole.Staff, place), At(2 * level));

        Assert.Equal(allowed, failure is null);
        Assert.Equal(allowed, request.Acknowledged);
    }

    [Fact]
    public void Before_any_climb_the_communitys_staff_take_the_request_up()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);

        Assert.Null(request.Acknowledge(GridWorker, At(1)));

        Assert.Equal(GridWorker.Username, request.Owner);
    }

    [Fact]
    public void An_admin_acknowledges_at_any_level() =>
        Assert.Null(Climbed(3).Acknowledge(Admin, At(7)));

    [Fact]
    public void Staff_whose_place_the_door_did_not_give_are_refused_above_level_0() =>
        Assert.Equal(ServiceRequest.BelowEscalationLevel, Climbed(1).Acknowledge(new Actor("staff", AccountRole.Staff), At(3))?.Code);

    private static ServiceRequest Climbed(int level)
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.Advance(At(2 * level));
        Assert.Equal(level, request.EscalationLevel);
        return request;
    }
}
