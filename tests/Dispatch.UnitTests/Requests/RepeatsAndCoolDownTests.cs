using Dispatch.Requests;
using static Dispatch.UnitTests.Support.Given;

namespace Dispatch.UnitTests.Requests;

/// <summary>
/// Issue #16, item 3 (first half): a transition that changes nothing writes no history entry, and a
/// volunteer who released a request waits out a cool-down before claiming it again.
/// </summary>
public sealed class RepeatsAndCoolDownTests
{
    private static readonly TimeSpan CoolDown = new RequestOptions().ReclaimCoolDown;

    [Fact]
    public void The_cool_down_is_ten_minutes_by_default() => Assert.Equal(TimeSpan.FromMinutes(10), CoolDown);

    [Fact]
    public void Every_reason_a_claim_loses_has_its_shared_answer()
    {
        foreach (var loss in Enum.GetValues<ClaimLoss>())
        {
            Assert.Equal(loss, ClaimRefusals.Lost(loss).Loss);
        }
    }

    [Fact]
    public void A_claim_refused_for_the_cool_down_is_a_409_whose_reason_says_so()
    {
        var problem = Assert.IsType<Dispatch.WebHost.Requests.LostClaim>(Dispatch.WebHost.Requests.LostClaim.For(ClaimRefusals.Of(ClaimLoss.CoolingDown)));

        Assert.Equal(409, problem.StatusCode);
        Assert.Equal("coolingDown", problem.Reason);
        Assert.Equal("coolingDown", DispatchMetrics.ReasonOf(ClaimLoss.CoolingDown));
    }

    [Fact]
    public void The_owner_acknowledging_again_writes_nothing()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        Assert.Null(request.Acknowledge(GridWorker, At(1)));
        var before = Snapshot(request);

        for (var i = 0; i < 20; i++)
        {
            Assert.Null(request.Acknowledge(GridWorker, At(1.5)));
        }

        Assert.Equal(before, Snapshot(request));
        Assert.Equal(GridWorker.Username, request.Owner);
    }

    [Fact]
    public void A_supervisor_acknowledging_again_writes_nothing()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        Assert.Null(request.Acknowledge(GridWorker, At(1)));
        Assert.Null(request.Acknowledge(TownStaff, At(1)));
        var version = request.Version;

        Assert.Null(request.Acknowledge(TownStaff, At(1.5)));

        Assert.Equal(version, request.Version);
    }

    [Fact]
    public void The_owner_acknowledging_an_alert_that_came_since_is_recorded()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        Assert.Null(request.Acknowledge(TownStaff, At(1)));
        request.Advance(At(2));
        var version = request.Version;

        Assert.Null(request.Acknowledge(TownStaff, At(3)));

        Assert.Equal(version + 1, request.Version);
        Assert.True(request.Acknowledged);
        Assert.Null(request.Acknowledge(TownStaff, At(3.5)));
        Assert.Equal(version + 1, request.Version);
    }

    [Fact]
    public void Offering_the_same_handover_again_writes_nothing()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        Assert.Null(request.Acknowledge(GridWorker, At(1)));
        Assert.Null(request.Handover(GridWorker, TownStaff.Username, At(2)));
        var before = Snapshot(request);

        Assert.Null(request.Handover(GridWorker, TownStaff.Username, At(3)));

        Assert.Equal(before, Snapshot(request));
        Assert.Equal(TownStaff.Username, request.HandoverTo);
    }

    [Fact]
    public void A_volunteer_who_released_a_request_may_not_claim_it_again_until_the_cool_down_has_passed()
    {
        var request = OpenWish();
        request.ApplyClaim("li.na", Morning);
        Assert.Null(request.Release(Volunteer("li.na"), Morning.AddMinutes(1)));

        Assert.Equal(ClaimLoss.CoolingDown, request.CheckClaim("li.na", CommunityId, 1, Morning.AddMinutes(1), CoolDown));
        Assert.Equal(ClaimLoss.CoolingDown, request.CheckClaim("li.na", CommunityId, 1, Morning.AddMinutes(10.9), CoolDown));
        Assert.Null(request.CheckClaim("li.na", CommunityId, 1, Morning.AddMinutes(11), CoolDown));
        Assert.Null(request.CheckClaim("zhao.lei", CommunityId, 1, Morning.AddMinutes(1), CoolDown));
    }

    [Fact]
    public void A_cool_down_of_zero_is_off_and_a_full_request_still_says_full()
    {
        var request = OpenWish();
        request.ApplyClaim("li.na", Morning);
        Assert.Null(request.Release(Volunteer("li.na"), Morning));
        Assert.Null(request.CheckClaim("li.na", CommunityId, 1, Morning, TimeSpan.Zero));

        request.ApplyClaim("zhao.lei", Morning);
        Assert.Equal(ClaimLoss.Full, request.CheckClaim("li.na", CommunityId, 1, Morning, CoolDown));
    }

    [Fact]
    public void An_offer_staff_make_to_a_volunteer_cooling_down_may_be_taken()
    {
        var request = OpenWish();
        request.ApplyClaim("li.na", Morning);
        Assert.Null(request.Release(Volunteer("li.na"), Morning));
        Assert.Null(request.Dispatch(GridWorker, ["li.na"], auto: false, Morning.AddMinutes(1)));

        Assert.Null(request.CheckClaim("li.na", CommunityId, 1, Morning.AddMinutes(1), CoolDown));
    }

    [Fact]
    public void A_claim_release_loop_writes_two_entries_then_stops_at_the_cool_down()
    {
        var request = OpenWish();
        var version = request.Version;
        var now = Morning;
        var wrote = 0;
        for (var i = 0; i < 50; i++, now = now.AddSeconds(1))
        {
            if (request.CheckClaim("li.na", CommunityId, 1, now, CoolDown) is null)
            {
                request.ApplyClaim("li.na", now);
                Assert.Null(request.Release(Volunteer("li.na"), now));
                wrote += 2;
            }
        }

        Assert.Equal(2, wrote);
        Assert.Equal(version + 2, request.Version);
    }

    [Fact]
    public void Only_the_latest_releases_are_kept()
    {
        var request = OpenWish();
        for (var i = 0; i < ServiceRequest.ReleasesKept + 5; i++)
        {
            request.ApplyClaim($"v{i}", Morning);
            Assert.Null(request.Release(Volunteer($"v{i}"), Morning));
        }

        Assert.Equal(ServiceRequest.ReleasesKept, request.Releases.Length);
        Assert.Null(request.CheckClaim("v0", CommunityId, 1, Morning, CoolDown));
        Assert.Equal(ClaimLoss.CoolingDown, request.CheckClaim($"v{ServiceRequest.ReleasesKept + 4}", CommunityId, 1, Morning, CoolDown));
    }
}
