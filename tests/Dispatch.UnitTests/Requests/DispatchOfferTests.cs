using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Requests;

/// <summary>Precise dispatch (精准派单): offers, answers, lapses and the automatic cascade.</summary>
public sealed class DispatchOfferTests
{
    // ---- who may dispatch, and when ----

    [Fact]
    public void Only_staff_dispatch_a_volunteer_is_refused_with_staffOnly_and_nothing_changes()
    {
        var request = OpenWish();
        var before = Given.Snapshot(request);

        var refused = request.Dispatch(Given.Volunteer("li.na"), ["zhao.lei"], auto: false, Min(1));

        Assert.Equal((FailureKind.Forbidden, "staffOnly"), (refused?.Kind, refused?.Code));
        Assert.Null(request.Offer);
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Equal(DispatchCounts.None, request.Dispatches);
        Assert.Empty(request.TakeNotices());
    }

    [Fact]
    public void An_admin_may_dispatch()
    {
        var request = OpenWish();

        Assert.Null(request.Dispatch(Given.Admin, ["li.na"], auto: false, Min(1)));

        Assert.Equal("li.na", request.Offer?.Volunteer);
        Assert.Equal("admin", request.Offer?.By);
    }

    [Theory]
    [InlineData(RequestStatus.Claimed)]
    [InlineData(RequestStatus.InProgress)]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Verified)]
    [InlineData(RequestStatus.Cancelled)]
    public void Only_an_open_request_is_dispatched_others_are_refused_with_invalidTransition(RequestStatus status)
    {
        var request = ServiceRequestLifecycleTests.RequestIn(status);
        var before = Given.Snapshot(request);

        var refused = request.Dispatch(Staff, ["zhao.lei"], auto: false, Min(1));

        Assert.Equal((FailureKind.Conflict, "invalidTransition"), (refused?.Kind, refused?.Code));
        Assert.Null(request.Offer);
        Assert.Equal(before, Given.Snapshot(request));
    }

    [Fact]
    public void A_second_dispatch_while_an_offer_is_pending_is_refused_with_offerPending()
    {
        var request = Offered(Given.Wish(), auto: false, "li.na");
        var before = Given.Snapshot(request);

        var refused = request.Dispatch(Staff, ["zhao.lei"], auto: true, Min(1));

        Assert.Equal((FailureKind.Conflict, "offerPending"), (refused?.Kind, refused?.Code));
        Assert.Equal("li.na", request.Offer?.Volunteer);
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Equal(1, request.Dispatches.Offers);
        Assert.Empty(request.TakeNotices());
    }

    [Fact]
    public void A_dispatch_without_candidates_is_refused_with_noCandidates()
    {
        var request = OpenWish();
        var before = Given.Snapshot(request);

        var refused = request.Dispatch(Staff, [], auto: true, Min(1));

        Assert.Equal((FailureKind.Conflict, "noCandidates"), (refused?.Kind, refused?.Code));
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Null(request.Offer);
    }

    [Fact]
    public void A_dispatch_only_to_volunteers_who_already_hold_a_claim_is_refused_and_changes_nothing()
    {
        var request = OpenActivity(3);
        request.ApplyClaim("a", Given.Morning);
        var before = Given.Snapshot(request);

        var refused = request.Dispatch(Staff, ["a", "a"], auto: true, Min(1));

        Assert.Equal(FailureKind.Conflict, refused?.Kind);
        Assert.Equal("alreadyClaimed", refused?.Code);
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Null(request.Offer);
    }

    // ---- the offer ----

    [Fact]
    public void A_dispatch_offers_the_request_to_the_first_candidate_until_the_policy_s_offer_time_has_passed()
    {
        var request = OpenWish();

        Assert.Null(request.Dispatch(Staff, ["li.na", "zhao.lei"], auto: false, Min(1)));

        Assert.Equal(new DispatchOffer("li.na", Staff.Username, Min(1), Min(11), Auto: false), request.Offer);
        Assert.True(request.IsOfferedTo("li.na"));
        Assert.False(request.IsOfferedTo("zhao.lei"));
        Assert.Empty(request.OfferQueue);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal(new DispatchCounts(1, 0, 0, 0), request.Dispatches);
        var offered = request.History[^1];
        Assert.Equal((2, Min(1), Staff.Username, RequestAction.Offered, (RequestStatus?)RequestStatus.Open, RequestStatus.Open),
            (offered.Seq, offered.At, offered.Actor, offered.Action, offered.From, offered.To));
        Assert.Contains("li.na", offered.Note, StringComparison.Ordinal);
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.Offered)), request.TakeNotices());
    }

    [Fact]
    public void An_automatic_dispatch_skips_claimants_and_duplicates_and_keeps_the_rest_in_line()
    {
        var request = OpenActivity(4);
        request.ApplyClaim("b", Given.Morning);

        Assert.Null(request.Dispatch(Staff, ["b", "a", "c", "a", "b", "d"], auto: true, Min(1)));

        Assert.Equal("a", request.Offer?.Volunteer);
        Assert.True(request.Offer?.Auto);
        Assert.Equal<string>(["c", "d"], request.OfferQueue);
    }

    [Fact]
    public void The_offer_timeout_is_the_policy_s_offerWithin_or_30_minutes_when_the_policy_holds_none()
    {
        var stored = Create(Given.Wish(), TenMinuteOffers with { OfferWithin = TimeSpan.Zero });

        Assert.Null(stored.Dispatch(Staff, ["li.na"], auto: false, Min(0)));

        Assert.Equal(EscalationPolicy.DefaultOfferWithin, stored.Policy.OfferTimeout);
        Assert.Equal(Min(30), stored.Offer?.ExpiresAt);
    }

    [Fact]
    public void An_offer_reserves_the_only_place_of_a_wish_others_lose_with_reserved()
    {
        var request = Offered(Given.Wish(), auto: false, "li.na");

        Assert.Equal(0, request.FreePlaces);
        Assert.Equal(ClaimLoss.Reserved, request.CheckClaim("zhao.lei", Given.CommunityId));
        Assert.Null(request.CheckClaim("li.na", Given.CommunityId));
        Assert.Equal(0, request.ToView().FreePlaces);
        Assert.Equal(0, request.ToSummary().FreePlaces);
        Assert.Equal("li.na", request.ToSummary().OfferTo);
    }

    [Fact]
    public void An_offer_on_an_activity_reserves_one_place_others_claim_the_rest_then_lose_with_reserved()
    {
        var request = Offered(Given.Activity(3), auto: false, "li.na");
        Assert.Equal(2, request.FreePlaces);

        Assert.Null(request.CheckClaim("a", Given.CommunityId));
        request.ApplyClaim("a", Min(1));
        Assert.Null(request.CheckClaim("b", Given.CommunityId));
        request.ApplyClaim("b", Min(2));

        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal(0, request.FreePlaces);
        Assert.Equal(ClaimLoss.Reserved, request.CheckClaim("c", Given.CommunityId));
        Assert.Equal("li.na", request.Offer?.Volunteer);

        request.AcceptOffer(Given.Volunteer("li.na"), Min(3));

        Assert.Equal(RequestStatus.Claimed, request.Status);
        Assert.Equal<string>(["a", "b", "li.na"], request.Claimants);
        Assert.Equal(ClaimLoss.Full, request.CheckClaim("c", Given.CommunityId));
    }

    [Fact]
    public void Nobody_wins_a_place_against_a_reservation_in_a_random_claim_storm()
    {
        var random = new Random(2025);
        for (var round = 0; round < 50; round++)
        {
            var places = random.Next(1, 6);
            var request = Offered(Given.Activity(places) with { Kind = places == 1 ? RequestKind.Wish : RequestKind.Activity }, auto: false, "offered");
            foreach (var volunteer in Given.Names("v", 12).OrderBy(_ => random.Next()))
            {
                if (request.CheckClaim(volunteer, Given.CommunityId) is null)
                {
                    request.ApplyClaim(volunteer, Min(1));
                }

                Assert.True(request.PlacesTaken + 1 <= places);
            }

            Assert.Equal(places - 1, request.PlacesTaken);
            Assert.Equal(RequestStatus.Open, request.Status);
            Assert.Equal(ClaimLoss.Reserved, request.CheckClaim("late", Given.CommunityId));
            Assert.Null(request.CheckAccept(Given.Volunteer("offered")));
        }
    }

    // ---- accepting ----

    [Fact]
    public void Accepting_the_offer_claims_the_reserved_place_counts_and_records_it()
    {
        var request = Offered(Given.Wish(), auto: true, "li.na", "zhao.lei");
        var volunteer = Given.Volunteer("li.na");

        Assert.Null(request.CheckAccept(volunteer));
        request.AcceptOffer(volunteer, Min(4));

        Assert.Null(request.Offer);
        Assert.Empty(request.OfferQueue);
        Assert.Equal(RequestStatus.Claimed, request.Status);
        Assert.Equal(new ClaimRecord("li.na", Min(4)), Assert.Single(request.Claims));
        Assert.Equal(new DispatchCounts(1, 1, 0, 0), request.Dispatches);
        Assert.Equal(Min(4), request.FirstClaimedAt);
        var accepted = request.History[^1];
        Assert.Equal(("li.na", RequestAction.OfferAccepted, (RequestStatus?)RequestStatus.Open, RequestStatus.Claimed),
            (accepted.Actor, accepted.Action, accepted.From, accepted.To));
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.OfferAccepted)), request.TakeNotices());
        Assert.DoesNotContain(request.Deadlines(), d => d.Kind == DeadlineKind.OfferExpiry);
    }

    [Fact]
    public void Someone_else_cannot_accept_the_offer_noOffer()
    {
        var request = Offered(Given.Wish(), auto: false, "li.na");
        var before = Given.Snapshot(request);

        var refused = request.CheckAccept(Given.Volunteer("zhao.lei"));

        Assert.Equal((FailureKind.Forbidden, "noOffer"), (refused?.Kind, refused?.Code));
        Assert.Throws<InvalidOperationException>(() => request.AcceptOffer(Given.Volunteer("zhao.lei"), Min(1)));
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Equal("li.na", request.Offer?.Volunteer);
    }

    [Fact]
    public void Accepting_without_any_offer_is_refused_with_noOffer()
    {
        var request = OpenWish();

        Assert.Equal("noOffer", request.CheckAccept(Given.Volunteer("li.na"))?.Code);
        Assert.Equal("noOffer", request.DeclineOffer(Given.Volunteer("li.na"), null, Min(1))?.Code);
    }

    [Fact]
    public void The_offered_volunteer_claiming_the_request_accepts_the_offer()
    {
        var request = Offered(Given.Activity(2), auto: true, "li.na", "zhao.lei");

        Assert.Null(request.CheckClaim("li.na", Given.CommunityId));
        request.ApplyClaim("li.na", Min(2));

        Assert.Null(request.Offer);
        Assert.Empty(request.OfferQueue);
        Assert.Equal(new DispatchCounts(1, 1, 0, 0), request.Dispatches);
        Assert.Equal(RequestAction.OfferAccepted, request.History[^1].Action);
        Assert.Equal<string>(["li.na"], request.Claimants);
        Assert.Equal(1, request.FreePlaces);
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.OfferAccepted)), request.TakeNotices());
    }

    [Fact]
    public void The_offered_volunteer_claiming_several_places_for_an_organisation_gets_them_all()
    {
        // The offered volunteer may take the reserved place plus the free ones, all-or-nothing:
        // the claim must hold every place asked for, for the organisation.
        var request = Offered(Given.Activity(4), auto: false, "li.na");

        Assert.Null(request.CheckClaim("li.na", Given.CommunityId, places: 3));
        request.ApplyClaim("li.na", Min(2), Organisation, places: 3);

        var claim = Assert.Single(request.Claims);
        Assert.Equal(Organisation, claim.OrganisationId);
        Assert.Equal(3, claim.PlaceCount);
        Assert.Equal(3, request.PlacesTaken);
        Assert.Equal(1, request.FreePlaces);
        Assert.Null(request.Offer);
    }

    // ---- declining and the cascade ----

    [Fact]
    public void Declining_a_single_offer_leaves_the_request_open_with_no_offer()
    {
        var request = Offered(Given.Wish(), auto: false, "li.na");

        Assert.Null(request.DeclineOffer(Given.Volunteer("li.na"), "  away this week  ", Min(3)));

        Assert.Null(request.Offer);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal(1, request.FreePlaces);
        Assert.Equal(new DispatchCounts(1, 0, 1, 0), request.Dispatches);
        Assert.Equal(
            new HistoryEntry(3, Min(3), "li.na", RequestAction.OfferDeclined, RequestStatus.Open, RequestStatus.Open, "away this week"),
            request.History[^1]);
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.OfferDeclined)), request.TakeNotices());
        Assert.Null(request.CheckClaim("zhao.lei", Given.CommunityId));
    }

    [Fact]
    public void A_blank_decline_reason_is_recorded_as_none()
    {
        var request = Offered(Given.Wish(), auto: false, "li.na");

        Assert.Null(request.DeclineOffer(Given.Volunteer("li.na"), "   ", Min(3)));

        Assert.Null(request.History[^1].Note);
    }

    [Fact]
    public void Someone_else_declining_is_refused_with_noOffer_and_changes_nothing()
    {
        var request = Offered(Given.Wish(), auto: true, "li.na", "zhao.lei");
        var before = Given.Snapshot(request);

        var refused = request.DeclineOffer(Given.Volunteer("zhao.lei"), null, Min(1));

        Assert.Equal((FailureKind.Forbidden, "noOffer"), (refused?.Kind, refused?.Code));
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Equal("li.na", request.Offer?.Volunteer);
    }

    [Fact]
    public void A_decline_in_an_automatic_dispatch_offers_the_request_to_the_next_candidate_as_system()
    {
        var request = Offered(Given.Wish(), auto: true, "a", "b", "c");

        Assert.Null(request.DeclineOffer(Given.Volunteer("a"), null, Min(3)));

        Assert.Equal(new DispatchOffer("b", ServiceRequest.SystemActor, Min(3), Min(13), Auto: true), request.Offer);
        Assert.Equal<string>(["c"], request.OfferQueue);
        Assert.Equal(new DispatchCounts(2, 0, 1, 0), request.Dispatches);
        Assert.Equal(
            [RequestAction.Offered, RequestAction.OfferDeclined, RequestAction.Offered],
            request.History.Skip(1).Select(h => h.Action));
        Assert.Equal(ServiceRequest.SystemActor, request.History[^1].Actor);
        Assert.Equal<VolunteerNotice>(
            Notices(("a", VolunteerAction.OfferDeclined), ("b", VolunteerAction.Offered)),
            request.TakeNotices());
    }

    [Fact]
    public void The_cascade_skips_a_candidate_who_meanwhile_claimed_a_place()
    {
        var request = Offered(Given.Activity(3), auto: true, "a", "b", "c");
        request.ApplyClaim("b", Min(1));

        Assert.Null(request.DeclineOffer(Given.Volunteer("a"), null, Min(2)));

        Assert.Equal("c", request.Offer?.Volunteer);
        Assert.Empty(request.OfferQueue);
        Assert.Equal(2, request.Dispatches.Offers);
    }

    [Fact]
    public void The_cascade_ends_with_the_list_the_request_is_open_again_without_an_offer()
    {
        var request = Offered(Given.Wish(), auto: true, "a", "b", "c");

        Assert.Null(request.DeclineOffer(Given.Volunteer("a"), null, Min(1)));
        Assert.Null(request.DeclineOffer(Given.Volunteer("b"), null, Min(2)));
        Assert.Null(request.DeclineOffer(Given.Volunteer("c"), null, Min(3)));

        Assert.Null(request.Offer);
        Assert.Empty(request.OfferQueue);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal(1, request.FreePlaces);
        Assert.Equal(new DispatchCounts(3, 0, 3, 0), request.Dispatches);
        Assert.Null(request.CheckClaim("d", Given.CommunityId));
        // And staff may dispatch it again.
        Assert.Null(request.Dispatch(Staff, ["d"], auto: false, Min(4)));
    }

    [Fact]
    public void The_cascade_ends_when_every_remaining_candidate_holds_a_claim()
    {
        var request = Offered(Given.Activity(4), auto: true, "a", "b", "c");
        request.ApplyClaim("b", Min(1));
        request.ApplyClaim("c", Min(1));

        Assert.Null(request.DeclineOffer(Given.Volunteer("a"), null, Min(2)));

        Assert.Null(request.Offer);
        Assert.Empty(request.OfferQueue);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal(1, request.Dispatches.Offers);
    }

    [Fact]
    public void A_manual_dispatch_does_not_cascade_after_a_decline()
    {
        var request = Offered(Given.Wish(), auto: false, "a", "b");

        Assert.Null(request.DeclineOffer(Given.Volunteer("a"), null, Min(1)));

        Assert.Null(request.Offer);
        Assert.Equal(1, request.Dispatches.Offers);
    }

    [Fact]
    public void The_cascade_accepted_by_the_third_candidate_counts_every_offer_and_answer()
    {
        var request = Offered(Given.Wish(), auto: true, "a", "b", "c", "d");

        Assert.Null(request.DeclineOffer(Given.Volunteer("a"), null, Min(1)));
        request.Advance(Min(11));
        request.AcceptOffer(Given.Volunteer("c"), Min(12));

        Assert.Equal(new DispatchCounts(3, 1, 1, 1), request.Dispatches);
        Assert.Equal<string>(["c"], request.Claimants);
        Assert.Empty(request.OfferQueue);
        Assert.Equal(RequestStatus.Claimed, request.Status);
        Assert.Equal(
            [RequestAction.Offered, RequestAction.OfferDeclined, RequestAction.Offered, RequestAction.OfferLapsed, RequestAction.Offered, RequestAction.OfferAccepted],
            request.History.Skip(1).Select(h => h.Action));
        Assert.Equal(request.Dispatches, request.ToSummary().Dispatches);
    }

    // ---- lapses ----

    [Fact]
    public void An_unanswered_offer_lapses_at_its_expiry_and_not_a_moment_before()
    {
        var request = Offered(Given.Wish(), auto: false, "li.na");
        Assert.Contains(new Deadline(DeadlineKind.OfferExpiry, Stage.Claim, Min(10), "li.na"), request.Deadlines());
        Assert.Equal(Min(10), request.NextDue);

        Assert.Empty(request.Advance(Min(10) - TimeSpan.FromSeconds(1)));
        Assert.NotNull(request.Offer);

        var events = request.Advance(Min(10));

        Assert.Equal<ClockEvent>([new ClockEvent(DeadlineKind.OfferExpiry, 0, "m", "li.na")], events);
        Assert.Null(request.Offer);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal(new DispatchCounts(1, 0, 0, 1), request.Dispatches);
        var lapsed = request.History[^1];
        Assert.Equal((ServiceRequest.SystemActor, RequestAction.OfferLapsed, Min(10)), (lapsed.Actor, lapsed.Action, lapsed.At));
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.OfferLapsed)), request.TakeNotices());
        Assert.Null(request.CheckClaim("zhao.lei", Given.CommunityId));
    }

    [Fact]
    public void A_lapse_in_an_automatic_dispatch_offers_the_request_to_the_next_candidate()
    {
        var request = Offered(Given.Wish(), auto: true, "a", "b");

        request.Advance(Min(10));

        Assert.Equal(new DispatchOffer("b", ServiceRequest.SystemActor, Min(10), Min(20), Auto: true), request.Offer);
        Assert.Equal<VolunteerNotice>(
            Notices(("a", VolunteerAction.OfferLapsed), ("b", VolunteerAction.Offered)),
            request.TakeNotices());
    }

    [Fact]
    public void A_late_wake_up_lapses_several_offers_in_a_row_each_timed_from_the_previous_deadline()
    {
        var request = Offered(Given.Wish(), auto: true, "a", "b", "c", "d");

        // Asleep from 09:00 to 09:35: a lapsed at 09:10, b at 09:20, c at 09:30; d was offered at 09:30.
        var events = request.Advance(Min(35));

        Assert.Equal(["a", "b", "c"], events.Select(e => e.Volunteer));
        Assert.All(events, e => Assert.Equal(DeadlineKind.OfferExpiry, e.Kind));
        Assert.Equal(new DispatchOffer("d", ServiceRequest.SystemActor, Min(30), Min(40), Auto: true), request.Offer);
        Assert.Empty(request.OfferQueue);
        Assert.Equal(new DispatchCounts(4, 0, 0, 3), request.Dispatches);

        // Each step has its own entry, written at the wake-up and naming its own deadline.
        var lapses = EntriesOf(request, RequestAction.OfferLapsed);
        Assert.Equal(3, lapses.Length);
        Assert.All(lapses, l => Assert.Equal(Min(35), l.At));
        Assert.Contains("'a'", lapses[0].Note, StringComparison.Ordinal);
        Assert.Contains(Min(10).ToString("u", System.Globalization.CultureInfo.InvariantCulture), lapses[0].Note, StringComparison.Ordinal);
        Assert.Contains(Min(30).ToString("u", System.Globalization.CultureInfo.InvariantCulture), lapses[2].Note, StringComparison.Ordinal);
        Assert.Equal<VolunteerNotice>(
            Notices(
                ("a", VolunteerAction.OfferLapsed), ("b", VolunteerAction.Offered),
                ("b", VolunteerAction.OfferLapsed), ("c", VolunteerAction.Offered),
                ("c", VolunteerAction.OfferLapsed), ("d", VolunteerAction.Offered)),
            request.TakeNotices());

        // The same as a request woken at every deadline.
        var onTime = Offered(Given.Wish(), auto: true, "a", "b", "c", "d");
        foreach (var minute in new[] { 10, 20, 30, 35 })
        {
            onTime.Advance(Min(minute));
        }

        Assert.Equal(onTime.Offer, request.Offer);
        Assert.Equal(onTime.Dispatches, request.Dispatches);
        Assert.Equal<Deadline>(onTime.Deadlines(), request.Deadlines());
    }

    [Fact]
    public void A_lapse_skips_a_candidate_who_meanwhile_claimed_a_place()
    {
        var request = Offered(Given.Activity(3), auto: true, "a", "b", "c");
        request.ApplyClaim("b", Min(4));
        request.TakeNotices();

        request.Advance(Min(10));

        Assert.Equal(new DispatchOffer("c", ServiceRequest.SystemActor, Min(10), Min(20), Auto: true), request.Offer);
        Assert.Equal<VolunteerNotice>(
            Notices(("a", VolunteerAction.OfferLapsed), ("c", VolunteerAction.Offered)),
            request.TakeNotices());
    }

    [Fact]
    public void An_offer_lapsing_on_an_escalated_request_is_reported_at_the_request_s_level()
    {
        var policy = Given.PolicyOf(TimeSpan.FromMinutes(5)) with { OfferWithin = TimeSpan.FromMinutes(10) };
        var request = Create(Given.Wish(), policy);
        Assert.Null(request.Dispatch(Staff, ["a"], auto: false, Min(0)));

        var events = request.Advance(Min(10));

        Assert.Equal<ClockEvent>(
            [new ClockEvent(DeadlineKind.Stage, 1, "t", null), new ClockEvent(DeadlineKind.Escalation, 2, "c", null), new ClockEvent(DeadlineKind.OfferExpiry, 2, "c", "a")],
            events);
    }

    [Fact]
    public void A_volunteer_of_another_community_offered_a_town_wide_request_accepts_it()
    {
        // Staff rank the whole town's volunteers once a request has escalated to the town.
        var request = Offered(Given.Wish(), auto: false, "xinhua.volunteer");

        Assert.Null(request.CheckAccept(Given.Volunteer("xinhua.volunteer")));
        request.AcceptOffer(Given.Volunteer("xinhua.volunteer"), Min(1));

        Assert.Equal<string>(["xinhua.volunteer"], request.Claimants);
        Assert.Equal(RequestStatus.Claimed, request.Status);
    }

    [Fact]
    public void A_very_late_wake_up_runs_the_whole_cascade_to_the_end_and_leaves_the_request_open()
    {
        var request = Offered(Given.Wish(), auto: true, "a", "b", "c");

        var events = request.Advance(Min(600));

        Assert.Equal(["a", "b", "c"], events.Where(e => e.Kind == DeadlineKind.OfferExpiry).Select(e => e.Volunteer));
        Assert.Null(request.Offer);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal(new DispatchCounts(3, 0, 0, 3), request.Dispatches);
    }

    [Fact]
    public void An_offer_does_not_stop_the_claim_deadline_a_request_offered_and_unanswered_still_escalates()
    {
        var policy = Given.PolicyOf(TimeSpan.FromMinutes(25)) with { OfferWithin = TimeSpan.FromMinutes(10) };
        var request = Create(Given.Wish(), policy);
        Assert.Null(request.Dispatch(Staff, ["a", "b", "c", "d"], auto: true, Min(0)));

        Assert.Contains(new Deadline(DeadlineKind.Stage, Stage.Claim, Min(25)), request.Deadlines());
        var events = request.Advance(Min(25));

        Assert.Equal(
            [(DeadlineKind.OfferExpiry, "a"), (DeadlineKind.OfferExpiry, "b"), (DeadlineKind.Stage, (string?)null)],
            events.Select(e => (e.Kind, e.Volunteer)));
        Assert.Equal(1, request.EscalationLevel);
        Assert.True(request.Overdue);
        Assert.Equal(Given.Morning, request.StageSince);
        Assert.Equal("c", request.Offer?.Volunteer);
    }

    [Fact]
    public void Accepting_an_offer_on_an_overdue_request_moves_it_on_and_ends_the_alert()
    {
        var policy = Given.PolicyOf(TimeSpan.FromMinutes(5)) with { OfferWithin = TimeSpan.FromMinutes(10) };
        var request = Create(Given.Wish(), policy);
        Assert.Null(request.Dispatch(Staff, ["a"], auto: false, Min(0)));
        request.Advance(Min(6));
        Assert.True(request.Overdue);

        request.AcceptOffer(Given.Volunteer("a"), Min(7));

        Assert.False(request.Overdue);
        Assert.Equal(1, request.EscalationLevel);
        Assert.Equal(Min(7), request.StageSince);
    }

    [Fact]
    public void A_declined_offer_leaves_no_offer_deadline_behind()
    {
        var request = Offered(Given.Wish(), auto: false, "a");

        Assert.Null(request.DeclineOffer(Given.Volunteer("a"), null, Min(1)));

        Assert.DoesNotContain(request.Deadlines(), d => d.Kind == DeadlineKind.OfferExpiry);
        Assert.Empty(request.Advance(Min(11)));
    }

    // ---- withdrawal ----

    [Fact]
    public void Starting_the_work_withdraws_a_pending_offer_and_its_line()
    {
        var request = Offered(Given.Activity(3), auto: true, "li.na", "zhao.lei");
        request.ApplyClaim("a", Min(1));
        request.TakeNotices();

        Assert.Null(request.Start(Given.Volunteer("a"), Min(2)));

        Assert.Null(request.Offer);
        Assert.Empty(request.OfferQueue);
        Assert.Equal(RequestStatus.InProgress, request.Status);
        var withdrawn = Assert.Single(EntriesOf(request, RequestAction.OfferWithdrawn));
        Assert.Equal((ServiceRequest.SystemActor, Min(2)), (withdrawn.Actor, withdrawn.At));
        Assert.Contains("li.na", withdrawn.Note, StringComparison.Ordinal);
        Assert.Equal(RequestAction.Started, request.History[^1].Action);
        Assert.Equal(new DispatchCounts(1, 0, 0, 0), request.Dispatches);
        Assert.Equal("noOffer", request.CheckAccept(Given.Volunteer("li.na"))?.Code);
        Assert.DoesNotContain(request.Deadlines(), d => d.Kind == DeadlineKind.OfferExpiry);
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.OfferWithdrawn)), request.TakeNotices());
    }

    [Fact]
    public void Cancelling_withdraws_a_pending_offer_and_ends_every_claim()
    {
        var request = Offered(Given.Activity(3), auto: false, "li.na");
        request.ApplyClaim("a", Min(1));
        request.TakeNotices();

        Assert.Null(request.Cancel(Staff, "Clinic moved", Min(2)));

        Assert.Null(request.Offer);
        Assert.Equal(RequestStatus.Cancelled, request.Status);
        Assert.Equal(
            [RequestAction.OfferWithdrawn, RequestAction.Cancelled],
            request.History.TakeLast(2).Select(h => h.Action));
        Assert.Equal<VolunteerNotice>(
            Notices(("li.na", VolunteerAction.OfferWithdrawn), ("a", VolunteerAction.ClaimEnded)),
            request.TakeNotices());
        Assert.Null(request.ToSummary().OfferTo);
    }

    [Fact]
    public void Starting_or_cancelling_without_an_offer_records_no_withdrawal()
    {
        var started = Given.ClaimedBy(Given.Wish(), "li.na");
        Assert.Null(started.Start(Given.Volunteer("li.na"), Min(1)));
        var cancelled = Given.OpenWish();
        Assert.Null(cancelled.Cancel(Staff, "Duplicate", Min(1)));

        Assert.Empty(EntriesOf(started, RequestAction.OfferWithdrawn));
        Assert.Empty(EntriesOf(cancelled, RequestAction.OfferWithdrawn));
    }

    [Fact]
    public void A_claim_that_expires_while_an_offer_is_pending_frees_its_place_and_keeps_the_offer()
    {
        var policy = Given.PolicyOf(TimeSpan.FromDays(1)) with { StartWithin = TimeSpan.FromMinutes(5), OfferWithin = TimeSpan.FromMinutes(10) };
        var request = Create(Given.Activity(2), policy);
        Assert.Null(request.Dispatch(Staff, ["li.na"], auto: false, Min(0)));
        request.ApplyClaim("a", Min(0));
        Assert.Equal(0, request.FreePlaces);

        request.Advance(Min(5));

        Assert.Empty(request.Claimants);
        Assert.Equal("li.na", request.Offer?.Volunteer);
        Assert.Equal(1, request.FreePlaces);
    }

    // ---- notices ----

    [Fact]
    public void Notices_are_empty_after_being_taken_and_for_a_new_request()
    {
        var request = OpenWish();
        Assert.Empty(request.TakeNotices());

        Assert.Null(request.Dispatch(Staff, ["li.na"], auto: false, Min(1)));
        Assert.Single(request.TakeNotices());
        Assert.Empty(request.TakeNotices());
    }

    [Fact]
    public void Forgotten_notices_are_not_sent()
    {
        var request = OpenWish();
        Assert.Null(request.Dispatch(Staff, ["li.na"], auto: false, Min(1)));

        request.ForgetNotices();

        Assert.Empty(request.TakeNotices());
    }

    [Fact]
    public void Releasing_a_claim_tells_the_volunteer_released()
    {
        var request = Given.ClaimedBy(Given.Activity(2), "a", "b");
        request.TakeNotices();

        Assert.Null(request.Release(Given.Volunteer("a"), Min(1)));

        Assert.Equal<VolunteerNotice>(Notices(("a", VolunteerAction.Released)), request.TakeNotices());
    }

    [Fact]
    public void Notices_accumulate_across_changes_until_taken()
    {
        var request = Offered(Given.Wish(), auto: true, "a", "b");

        Assert.Null(request.DeclineOffer(Given.Volunteer("a"), null, Min(1)));
        request.AcceptOffer(Given.Volunteer("b"), Min(2));

        Assert.Equal<VolunteerNotice>(
            Notices(("a", VolunteerAction.OfferDeclined), ("b", VolunteerAction.Offered), ("b", VolunteerAction.OfferAccepted)),
            request.TakeNotices());
    }

    // ---- the summary ----

    [Fact]
    public void The_summary_carries_the_offer_and_the_dispatch_counts_and_each_change_is_a_new_version()
    {
        var request = OpenWish();
        var v1 = request.ToSummary();

        Assert.Null(request.Dispatch(Staff, ["a", "b"], auto: true, Min(1)));
        var v2 = request.ToSummary();
        Assert.Null(request.DeclineOffer(Given.Volunteer("a"), null, Min(2)));
        var v3 = request.ToSummary();

        Assert.Equal((1, (string?)null, DispatchCounts.None), (v1.Version, v1.OfferTo, v1.Dispatches));
        Assert.Equal((2, (string?)"a", new DispatchCounts(1, 0, 0, 0), RequestAction.Offered), (v2.Version, v2.OfferTo, v2.Dispatches, v2.LastAction));
        Assert.Equal((4, (string?)"b", new DispatchCounts(2, 0, 1, 0), RequestAction.Offered), (v3.Version, v3.OfferTo, v3.Dispatches, v3.LastAction));
    }
}
