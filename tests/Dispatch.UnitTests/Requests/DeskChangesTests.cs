using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Requests;

/// <summary>Staff editing an open request and releasing a no-show's claim: the rules of <see cref="ServiceRequest"/>.</summary>
public sealed class DeskChangesTests
{
    private static readonly Actor LiNa = Given.Volunteer("li.na");

    private static RequestEdit Edit(string? title = null, string? description = null, string[]? categories = null, Urgency? urgency = null) =>
        new(title, description, categories is null ? null : [.. categories], urgency);

    [Fact]
    public void Staff_edit_an_open_request_and_the_history_names_the_fields_changed()
    {
        var request = OpenWish();
        var version = request.Version;

        Assert.Null(request.Edit(Staff, Edit(title: "  Thermos cup and gloves ", description: "", categories: ["winter", " Children ", "children"]), Min(5)));

        Assert.Equal("Thermos cup and gloves", request.Title);
        Assert.Null(request.Description);
        Assert.Equal<string>(["winter", "Children"], request.Categories);
        Assert.Equal(RequestStatus.Open, request.Status);
        var entry = Assert.Single(EntriesOf(request, RequestAction.Edited));
        Assert.Equal((version + 1, Staff.Username, RequestStatus.Open, RequestStatus.Open, "title, description, categories", Min(5)),
            (entry.Seq, entry.Actor, entry.From!.Value, entry.To, entry.Note, entry.At));
        Assert.Equal(Min(5), request.UpdatedAt);
    }

    [Fact]
    public void A_new_urgency_brings_its_policy_and_award()
    {
        var request = OpenWish();
        var urgent = Given.PolicyOf(TimeSpan.FromMinutes(30));

        Assert.Null(request.Edit(Staff, Edit(urgency: Urgency.Critical), Min(1), urgent, award: 25));

        Assert.Equal(Urgency.Critical, request.Urgency);
        Assert.Equal(urgent, request.Policy);
        Assert.Equal(25, request.Award);
        Assert.Equal(Given.Morning + TimeSpan.FromMinutes(30), request.ToView().Deadlines.First(d => d.Kind == DeadlineKind.Stage).Due);
        Assert.Equal("urgency", Assert.Single(EntriesOf(request, RequestAction.Edited)).Note);
    }

    [Fact]
    public void An_edit_that_changes_nothing_records_nothing()
    {
        var request = OpenWish();
        var version = request.Version;

        Assert.Null(request.Edit(Staff, Edit(title: request.Title, urgency: request.Urgency, categories: [.. request.Categories]), Min(1)));
        Assert.Null(request.Edit(Staff, Edit(), Min(1)));

        Assert.Equal(version, request.Version);
    }

    [Fact]
    public void Only_staff_edit_and_only_while_nobody_holds_or_is_offered_the_request()
    {
        Assert.Equal("staffOnly", OpenWish().Edit(LiNa, Edit(title: "Mine now"), Min(1))?.Code);

        var claimed = OpenActivity(3);
        claimed.ApplyClaim("li.na", Min(1));
        Assert.Equal(RequestStatus.Open, claimed.Status);
        Assert.Equal("alreadyTaken", claimed.Edit(Staff, Edit(title: "Changed"), Min(2))?.Code);

        var offered = Offered(Given.Wish(), auto: false, "li.na");
        Assert.Equal("alreadyTaken", offered.Edit(Staff, Edit(title: "Changed"), Min(2))?.Code);

        var cancelled = OpenWish();
        Assert.Null(cancelled.Cancel(Staff, "Duplicate", Min(1)));
        Assert.Equal("invalidTransition", cancelled.Edit(Staff, Edit(title: "Changed"), Min(2))?.Code);

        Assert.Equal("Free clinic", claimed.Title);
        Assert.Empty(EntriesOf(claimed, RequestAction.Edited));
    }

    [Theory]
    [InlineData("   ", null, "title")]
    [InlineData(null, "x", "categories")]
    public void Bad_fields_are_refused_by_name_and_change_nothing(string? title, string? category, string field)
    {
        var request = OpenWish();
        var version = request.Version;

        var refused = request.Edit(Staff, Edit(title: title, categories: category is null ? null : [category, " "]), Min(1));

        Assert.Equal((FailureKind.Invalid, field), (refused?.Kind, refused?.Field));
        Assert.Equal(version, request.Version);
    }

    [Fact]
    public void Staff_release_a_no_show_with_a_reason_and_the_cool_down_starts()
    {
        var request = InProgress(Given.Wish());
        request.TakeNotices();

        Assert.Null(request.Release(Staff, "li.na", " Did not turn up ", Min(40)));

        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Empty(request.Claimants);
        var entry = request.History[^1];
        Assert.Equal((RequestAction.Released, Staff.Username, "Did not turn up", RequestStatus.InProgress, RequestStatus.Open),
            (entry.Action, entry.Actor, entry.Note, entry.From!.Value, entry.To));
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.Released)), request.TakeNotices());
        Assert.True(request.IsCoolingDown("li.na", Min(45), TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void Staff_must_give_a_reason_and_name_a_claimant()
    {
        var request = InProgress(Given.Wish());
        var version = request.Version;

        Assert.Equal(("invalid", "reason"), Pair(request.Release(Staff, "li.na", "  ", Min(1))));
        Assert.Equal(("invalid", "volunteer"), Pair(request.Release(Staff, "wang.fang", "No-show", Min(1))));
        Assert.Equal(version, request.Version);
        Assert.Equal<string>(["li.na"], request.Claimants);
    }

    [Fact]
    public void A_volunteer_releases_only_their_own_place_through_the_same_rule()
    {
        var request = OpenActivity(3);
        request.ApplyClaim("li.na", Min(1));
        request.ApplyClaim("wang.fang", Min(1));

        Assert.Equal("notClaimant", request.Release(LiNa, "wang.fang", "Not coming", Min(2))?.Code);
        Assert.Null(request.Release(LiNa, "li.na", null, Min(2)));

        Assert.Equal<string>(["wang.fang"], request.Claimants);
        Assert.Equal("li.na", request.History[^1].Actor);
    }

    [Fact]
    public void A_finished_request_has_no_claim_to_release()
    {
        var request = Completed(Given.Wish(), volunteers: "li.na");

        Assert.Equal("invalidTransition", request.Release(Staff, "li.na", "No-show", Min(1))?.Code);
    }

    private static (string?, string?) Pair(Failure? failure) => (failure?.Code, failure?.Field);
}
