using Dispatch.Common;
using Dispatch.Requests;
using static Dispatch.UnitTests.Support.Given;

namespace Dispatch.UnitTests.Escalation;

/// <summary>Rules 8 and 9: the owner hands the request over to staff who accept it; supervisors are added once.</summary>
public sealed class OwnershipTests
{
    private static ServiceRequest OwnedByGridWorker()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        Assert.Null(request.Acknowledge(GridWorker, At(1)));
        return request;
    }

    private static string Everything(ServiceRequest request) =>
        $"{Snapshot(request)} | {request.Owner} | {string.Join(",", request.Supervisors)} | {request.HandoverTo}";

    [Fact]
    public void Only_the_owner_may_hand_over()
    {
        var request = OwnedByGridWorker();
        Assert.Null(request.Acknowledge(TownStaff, At(2)));
        var before = Everything(request);

        foreach (var actor in new[] { TownStaff, CountyStaff, Admin, Volunteer("li.na") })
        {
            var failure = request.Handover(actor, CountyStaff.Username, At(3));

            Assert.NotNull(failure);
            Assert.Equal(FailureKind.Forbidden, failure.Kind);
            Assert.Equal("notOwner", failure.Code);
        }

        Assert.Equal(before, Everything(request));
    }

    [Fact]
    public void A_request_without_an_owner_cannot_be_handed_over()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);

        var failure = request.Handover(GridWorker, TownStaff.Username, At(1));

        Assert.Equal("notOwner", failure?.Code);
        Assert.Null(request.HandoverTo);
    }

    [Fact]
    public void Handing_over_to_oneself_is_invalid_on_the_field_to()
    {
        var request = OwnedByGridWorker();
        var before = Everything(request);

        var failure = request.Handover(GridWorker, GridWorker.Username, At(2));

        Assert.NotNull(failure);
        Assert.Equal(FailureKind.Invalid, failure.Kind);
        Assert.Equal("to", failure.Field);
        Assert.Equal(before, Everything(request));
    }

    [Fact]
    public void Handing_over_offers_the_request_and_records_the_offer()
    {
        var request = OwnedByGridWorker();

        Assert.Null(request.Handover(GridWorker, TownStaff.Username, At(2)));

        Assert.Equal(TownStaff.Username, request.HandoverTo);
        Assert.Equal(GridWorker.Username, request.Owner);
        var entry = request.History[^1];
        Assert.Equal((GridWorker.Username, RequestAction.HandoverOffered, At(2)), (entry.Actor, entry.Action, entry.At));
        Assert.Contains(TownStaff.Username, entry.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_staff_member_offered_the_request_may_accept_it()
    {
        var request = OwnedByGridWorker();
        Assert.Null(request.Handover(GridWorker, TownStaff.Username, At(2)));
        var before = Everything(request);

        foreach (var actor in new[] { GridWorker, CountyStaff, Admin, Volunteer("li.na") })
        {
            var failure = request.AcceptHandover(actor, At(3));

            Assert.NotNull(failure);
            Assert.Equal(FailureKind.Forbidden, failure.Kind);
            Assert.Equal("noHandover", failure.Code);
        }

        Assert.Equal(before, Everything(request));
    }

    [Fact]
    public void Accepting_without_a_pending_handover_is_refused()
    {
        var request = OwnedByGridWorker();

        Assert.Equal("noHandover", request.AcceptHandover(TownStaff, At(2))?.Code);
        Assert.Equal(GridWorker.Username, request.Owner);
    }

    [Fact]
    public void On_accept_the_receiver_owns_the_request_and_the_previous_owner_supervises_it()
    {
        var request = OwnedByGridWorker();
        Assert.Null(request.Acknowledge(TownStaff, At(2)));
        Assert.Equal<string>([TownStaff.Username], request.Supervisors);
        Assert.Null(request.Handover(GridWorker, TownStaff.Username, At(3)));

        Assert.Null(request.AcceptHandover(TownStaff, At(4)));

        Assert.Equal(TownStaff.Username, request.Owner);
        Assert.Null(request.HandoverTo);
        Assert.Equal<string>([GridWorker.Username], request.Supervisors);
        Assert.Equal(
            [
                (GridWorker.Username, RequestAction.HandoverOffered),
                (TownStaff.Username, RequestAction.HandoverAccepted),
            ],
            request.History.TakeLast(2).Select(h => (h.Actor, h.Action)));
        Assert.Contains(GridWorker.Username, request.History[^1].Note, StringComparison.Ordinal);

        // The new owner may hand it on; the old one no longer may.
        Assert.Equal("notOwner", request.Handover(GridWorker, CountyStaff.Username, At(5))?.Code);
        Assert.Null(request.Handover(TownStaff, CountyStaff.Username, At(5)));
    }

    [Fact]
    public void A_handover_does_not_change_the_alert()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.Advance(At(2));
        Assert.Null(request.Acknowledge(TownStaff, At(3)));
        Assert.Null(request.Handover(TownStaff, CountyStaff.Username, At(3)));
        Assert.Null(request.AcceptHandover(CountyStaff, At(3)));

        Assert.True(request.Overdue);
        Assert.True(request.Acknowledged);
        Assert.Equal(1, request.EscalationLevel);
        Assert.Empty(request.Deadlines());
    }

    [Fact]
    public void A_final_request_cannot_be_handed_over_nor_a_pending_handover_accepted()
    {
        var verified = CompletedWish();
        Assert.Null(verified.Acknowledge(GridWorker, Morning));
        Assert.Null(verified.Verify(GridWorker, approved: true, rating: 5, null, Morning));

        Assert.Equal("invalidTransition", verified.Handover(GridWorker, TownStaff.Username, Morning)?.Code);
        Assert.Null(verified.HandoverTo);

        var cancelled = OwnedByGridWorker();
        Assert.Null(cancelled.Handover(GridWorker, TownStaff.Username, At(2)));
        Assert.Null(cancelled.Cancel(GridWorker, "Duplicate", At(3)));

        Assert.Equal("invalidTransition", cancelled.AcceptHandover(TownStaff, At(4))?.Code);
        Assert.Equal(GridWorker.Username, cancelled.Owner);
    }

    [Fact]
    public void AddSupervisors_adds_only_new_names_and_records_them()
    {
        var request = OwnedByGridWorker();
        Assert.Null(request.Acknowledge(TownStaff, At(2)));
        var version = request.Version;

        var added = request.AddSupervisors(
            [GridWorker.Username, TownStaff.Username, "county.li", "county.li", "county.chen"], At(3));

        Assert.True(added);
        Assert.Equal(GridWorker.Username, request.Owner);
        Assert.Equal<string>([TownStaff.Username, "county.li", "county.chen"], request.Supervisors);
        Assert.Equal(version + 1, request.Version);
        var entry = request.History[^1];
        Assert.Equal((ServiceRequest.SystemActor, RequestAction.SupervisorsAdded, At(3)), (entry.Actor, entry.Action, entry.At));
        Assert.Contains("county.li", entry.Note, StringComparison.Ordinal);
        Assert.Contains("county.chen", entry.Note, StringComparison.Ordinal);
        Assert.DoesNotContain(TownStaff.Username, entry.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSupervisors_returns_false_and_records_nothing_when_no_name_is_new()
    {
        var request = OwnedByGridWorker();
        Assert.Null(request.Acknowledge(TownStaff, At(2)));
        var before = Everything(request);

        Assert.False(request.AddSupervisors([GridWorker.Username, TownStaff.Username, TownStaff.Username], At(3)));
        Assert.False(request.AddSupervisors([], At(3)));

        Assert.Equal(before, Everything(request));
    }

    [Fact]
    public void AddSupervisors_on_a_request_without_an_owner_adds_them_all()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);

        Assert.True(request.AddSupervisors(["town.zhao", "town.qian"], At(1)));

        Assert.Null(request.Owner);
        Assert.Equal<string>(["town.zhao", "town.qian"], request.Supervisors);
    }
}
