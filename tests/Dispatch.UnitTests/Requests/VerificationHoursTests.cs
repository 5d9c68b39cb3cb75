using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Hours;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Requests;

/// <summary>Service hours confirmed with an approval go to the request's outbox, never more than each claimant served.</summary>
public sealed class VerificationHoursTests
{
    private static readonly IReadOnlyDictionary<string, ImmutableArray<string>> NoMembers = ImmutableDictionary<string, ImmutableArray<string>>.Empty;

    /// <summary>An activity claimed by a at 1 and b at 40 minutes, completed at 60.</summary>
    private static ServiceRequest Completed()
    {
        var request = Create(Given.Activity(5));
        request.ApplyClaim("a", Min(1));
        request.ApplyClaim("b", Min(40));
        Assert.Null(request.Start(Given.Volunteer("a"), Min(41)));
        Assert.Null(request.Complete(Given.Volunteer("a"), "Clinic held", Min(60)));
        return request;
    }

    [Fact]
    public void An_approval_owes_each_claimant_the_minutes_at_most_their_own_time_served()
    {
        var request = Completed();

        Assert.Null(request.VerifyWith(Staff, approved: true, 5, null, Min(91), null, NoMembers, minutes: 75));

        Assert.Equal([("a", 75, 90), ("b", 51, 51)], request.PendingHours.Select(h => (h.Volunteer, h.Credit.Minutes, h.Credit.MaxMinutes)));
        Assert.All(request.PendingHours, h =>
        {
            Assert.Equal($"request:{request.Id}", h.Credit.Key);
            Assert.Equal((HoursSource.Request, request.Id, Staff.Username), (h.Credit.Source, h.Credit.ReferenceId, h.Credit.RecordedBy));
        });
        Assert.True(request.HasUndelivered);
    }

    [Fact]
    public void More_minutes_than_anyone_served_are_refused_naming_the_field_and_nothing_changes()
    {
        var request = Completed();
        var version = request.Version;

        var refused = request.VerifyWith(Staff, approved: true, 5, null, Min(91), null, NoMembers, minutes: 91);

        Assert.Equal((FailureKind.Invalid, "minutes"), (refused?.Kind, refused?.Field));
        Assert.Equal((RequestStatus.Completed, version), (request.Status, request.Version));
        Assert.Empty(request.PendingHours);
    }

    [Fact]
    public void A_rejection_a_retried_approval_or_no_minutes_owe_no_hours()
    {
        var rejected = Completed();
        Assert.Null(rejected.VerifyWith(Staff, approved: false, null, "Not done", Min(91), null, NoMembers));
        Assert.Empty(rejected.PendingHours);

        var plain = Completed();
        Assert.Null(plain.VerifyWith(Staff, approved: true, 4, null, Min(91), null, NoMembers));
        Assert.Empty(plain.PendingHours);

        var retried = Completed();
        Assert.Null(retried.VerifyWith(Staff, approved: true, 4, null, Min(91), null, NoMembers, minutes: 30));
        Assert.True(retried.MarkHoursRecorded(["a", "b"]));
        Assert.Null(retried.VerifyWith(Staff, approved: true, 4, null, Min(95), null, NoMembers, minutes: 30));
        Assert.Empty(retried.PendingHours);
    }

    [Fact]
    public void Recorded_credits_leave_the_outbox_one_volunteer_at_a_time()
    {
        var request = Completed();
        Assert.Null(request.VerifyWith(Staff, approved: true, 5, null, Min(91), null, NoMembers, minutes: 30));

        Assert.True(request.MarkHoursRecorded(["b"]));
        Assert.False(request.MarkHoursRecorded(["b"]));

        Assert.Equal(["a"], request.PendingHours.Select(h => h.Volunteer));
    }

    [Fact]
    public void Hours_confirmed_afterwards_need_an_approved_verification_and_a_claimant_and_are_capped_at_the_time_to_verification()
    {
        var request = Completed();
        Assert.Equal("notVerified", request.HoursAfterVerification(Staff, 30, null, out _)?.Code);

        Assert.Null(request.VerifyWith(Staff, approved: true, 5, null, Min(91), null, NoMembers));
        Assert.Equal(("invalid", "volunteer"), (request.HoursAfterVerification(Staff, 30, "c", out _)?.Code, request.HoursAfterVerification(Staff, 30, "c", out _)?.Field));
        Assert.Equal(FailureKind.Forbidden, request.HoursAfterVerification(Given.Volunteer("a"), 30, null, out _)?.Kind);

        Assert.Null(request.HoursAfterVerification(Staff, 60, "b", out var one));
        Assert.Equal([("b", 60, 51)], one.Select(h => (h.Volunteer, h.Credit.Minutes, h.Credit.MaxMinutes)));
        Assert.Null(request.HoursAfterVerification(Staff, 60, null, out var all));
        Assert.Equal(["a", "b"], all.Select(h => h.Volunteer));
        Assert.Empty(request.PendingHours);
    }
}
