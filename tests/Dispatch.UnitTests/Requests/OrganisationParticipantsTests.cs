using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Requests;

/// <summary>
/// Issue #16, item 10: an organisation's places earn points for the members who took part, named
/// at completion and confirmed by staff, each the award once: never the award times the places to
/// the member who claimed.
/// </summary>
public sealed class OrganisationParticipantsTests
{
    private static readonly IReadOnlyDictionary<string, ImmutableArray<string>> Members =
        new Dictionary<string, ImmutableArray<string>> { [Organisation] = ["member.zhang", "member.wu", "member.li", "member.zhao"] };

    /// <summary>An activity of 50 places, all claimed by member.zhang for the organisation, in progress.</summary>
    private static ServiceRequest ClaimedByOrganisation(int places = 50, int award = 10)
    {
        var request = Create(Given.Activity(places), award: award);
        request.ApplyClaim("member.zhang", Min(1), Organisation, places);
        Assert.Null(request.Start(Given.Volunteer("member.zhang"), Min(2)));
        return request;
    }

    [Fact]
    public void Fifty_places_with_three_participants_credit_each_of_the_three_the_award_once()
    {
        var request = ClaimedByOrganisation();

        Assert.Null(request.CompleteWith(Given.Volunteer("member.zhang"), "Done", Min(60), null, ["member.wu", "member.li", "member.zhao"], Members));
        Assert.Equal<string>(["member.wu", "member.li", "member.zhao"], request.Participants);
        Assert.Empty(request.PendingPostings);
        Assert.Null(request.VerifyWith(Staff, approved: true, rating: 5, null, Min(90), participants: null, Members));

        Assert.Equal([("member.wu", 10), ("member.li", 10), ("member.zhao", 10)], request.PendingPostings.Select(p => (p.Volunteer, p.Posting.Amount)));
        Assert.Equal(30, request.PointsAwarded);
        Assert.Equal<string>(["member.wu", "member.li", "member.zhao"], request.ToView().Participants);
    }

    [Fact]
    public void An_organisation_claim_with_nobody_named_credits_its_claimant_once_not_once_per_place()
    {
        var request = ClaimedByOrganisation();
        Assert.Null(request.CompleteWith(Given.Volunteer("member.zhang"), null, Min(60), null, [], Members));
        Assert.Null(request.VerifyWith(Staff, approved: true, rating: null, null, Min(90), participants: null, Members));

        Assert.Equal([("member.zhang", 10)], request.PendingPostings.Select(p => (p.Volunteer, p.Posting.Amount)));
    }

    [Fact]
    public void A_participant_who_is_not_a_member_is_refused_naming_the_field_and_nothing_changes()
    {
        var request = ClaimedByOrganisation();
        var before = Given.Snapshot(request);

        var refused = request.CompleteWith(Given.Volunteer("member.zhang"), null, Min(60), null, ["member.wu", "stranger"], Members);

        Assert.Equal((FailureKind.Invalid, "notAMember", "participants"), (refused!.Kind, refused.Code, refused.Field));
        Assert.Contains("stranger", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Empty(request.Participants);
    }

    [Fact]
    public void Participants_cannot_be_named_without_an_organisation_claim_nor_outnumber_its_places()
    {
        var wish = Given.InProgressWish("li.na");
        Assert.Equal("notAMember", wish.CompleteWith(Given.Volunteer("li.na"), null, Min(60), null, ["member.wu"], Members)!.Code);
        Assert.Equal(RequestStatus.InProgress, wish.Status);

        var request = ClaimedByOrganisation(places: 2);
        var tooMany = request.CompleteWith(Given.Volunteer("member.zhang"), null, Min(60), null, ["member.wu", "member.li", "member.zhao"], Members);
        Assert.Equal(("tooManyParticipants", "participants"), (tooMany!.Code, tooMany.Field));
        Assert.Equal(RequestStatus.InProgress, request.Status);
    }

    [Fact]
    public void Naming_someone_twice_counts_them_once()
    {
        var request = ClaimedByOrganisation(places: 2);
        Assert.Null(request.CompleteWith(Given.Volunteer("member.zhang"), null, Min(60), null, ["member.wu", "member.wu ", "member.li"], Members));
        Assert.Equal<string>(["member.wu", "member.li"], request.Participants);
    }

    [Fact]
    public void Staff_confirm_at_verification_by_replacing_the_participants_checked_as_at_completion()
    {
        var request = ClaimedByOrganisation();
        Assert.Null(request.CompleteWith(Given.Volunteer("member.zhang"), null, Min(60), null, ["member.wu", "member.li", "member.zhao"], Members));

        var refused = request.VerifyWith(Staff, approved: true, rating: null, null, Min(80), ["member.wu", "stranger"], Members);
        Assert.Equal(("notAMember", "participants"), (refused!.Code, refused.Field));
        Assert.Equal(RequestStatus.Completed, request.Status);
        Assert.Equal(3, request.Participants.Length);

        Assert.Null(request.VerifyWith(Staff, approved: true, rating: null, null, Min(90), ["member.wu", "member.zhang"], Members));
        Assert.Equal([("member.wu", 10), ("member.zhang", 10)], request.PendingPostings.Select(p => (p.Volunteer, p.Posting.Amount)));
    }

    [Fact]
    public void A_check_in_code_completes_an_organisation_s_work_but_leaves_the_points_to_staff()
    {
        var request = ClaimedByOrganisation();

        var wrong = request.CompleteWith(Given.Volunteer("member.zhang"), null, Min(60), "000000x", ["member.wu"], Members);
        Assert.Equal("wrongCheckInCode", wrong!.Code);
        Assert.Equal(1, request.FailedCheckIns);
        Assert.Equal(RequestStatus.InProgress, request.Status);

        Assert.Null(request.CompleteWith(Given.Volunteer("member.zhang"), null, Min(61), request.CheckInCode, ["member.wu"], Members));

        Assert.Equal(RequestStatus.Completed, request.Status);
        Assert.Null(request.Verification);
        Assert.Empty(request.PendingPostings);
    }

    [Fact]
    public void An_overturned_verification_takes_back_exactly_what_each_participant_earned()
    {
        var request = ClaimedByOrganisation();
        Assert.Null(request.CompleteWith(Given.Volunteer("member.zhang"), null, Min(60), null, ["member.wu", "member.li"], Members));
        Assert.Null(request.VerifyWith(Staff, approved: true, rating: null, null, Min(90), participants: null, Members));

        Assert.Null(request.VerifyWith(Staff, approved: false, rating: null, "not done", Min(100), participants: null, Members));

        Assert.Equal([10, 10, -10, -10], request.PendingPostings.Select(p => p.Posting.Amount));
        Assert.Equal(0, request.PointsAwarded);
    }

    [Fact]
    public void A_participant_with_a_place_of_their_own_earns_once()
    {
        var shares = Participation.Shares(10, [new("member.wu", Given.Morning), new("member.zhang", Given.Morning, Organisation, 5)], ["member.wu", "member.li"]);

        Assert.Equal<(string, int)>([("member.wu", 10), ("member.li", 10)], shares.AsEnumerable());
    }
}
