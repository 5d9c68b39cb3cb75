using Dispatch.Escalation;
using Dispatch.Notifications;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;
using Microsoft.Extensions.Time.Testing;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Requests;

/// <summary>
/// The offer's clock starts on the volunteer's phone: once the phone confirms the offer reached it,
/// the offer lapses the policy's offer time (ten minutes here) after that, never sooner; without a
/// confirmation it lapses as offered.
/// </summary>
public sealed class OfferReachedTests
{
    private readonly FakeTimeProvider clock = new(Given.Morning);

    [Fact]
    public void An_offer_confirmed_later_lapses_the_offer_time_after_the_confirmation()
    {
        var request = Offered(Given.Wish(), auto: false, "li.na");
        var announced = request.Offer!.ExpiresAt;
        Assert.Equal(Min(10), announced);

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Null(request.ConfirmOfferReached("li.na", announced, clock.GetUtcNow()));

        Assert.Equal(new DispatchOffer("li.na", Staff.Username, Min(0), Min(14), Auto: false, ReachedAt: Min(4)), request.Offer);
        Assert.Contains(new Deadline(DeadlineKind.OfferExpiry, Stage.Claim, Min(14), "li.na"), request.Deadlines());
        Assert.Equal(Min(14), request.NextDue);
        var reached = request.History[^1];
        Assert.Equal(("li.na", RequestAction.OfferReached, Min(4)), (reached.Actor, reached.Action, reached.At));
        Assert.Contains(Min(14).ToString("u", System.Globalization.CultureInfo.InvariantCulture), reached.Note, StringComparison.Ordinal);
        Assert.Empty(request.TakeNotices());

        // The old expiry passes without a lapse; the new one lapses it.
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Empty(request.Advance(clock.GetUtcNow()));
        Assert.NotNull(request.Offer);
        clock.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        Assert.Empty(request.Advance(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([DeadlineKind.OfferExpiry], request.Advance(clock.GetUtcNow()).Select(e => e.Kind));
        Assert.Null(request.Offer);
        Assert.Equal((RequestAction.OfferLapsed, Min(14)), (request.History[^1].Action, request.History[^1].At));
    }

    [Fact]
    public void An_offer_never_confirmed_lapses_at_the_offer_time_after_it_was_made()
    {
        var request = Offered(Given.Wish(), auto: false, "li.na");

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Single(request.Advance(clock.GetUtcNow()));

        Assert.Null(request.Offer);
        Assert.DoesNotContain(request.History, h => h.Action == RequestAction.OfferReached);
    }

    [Fact]
    public void A_confirmation_at_once_never_shortens_the_offer_but_is_recorded()
    {
        var request = Offered(Given.Wish(), auto: false, "li.na");
        var announced = request.Offer!.ExpiresAt;
        var sameTime = request.Offer with { ReachedAt = Min(0) };

        // Confirmed the moment it was offered: the clock restarts at the same expiry.
        Assert.Null(request.ConfirmOfferReached("li.na", announced, clock.GetUtcNow()));

        Assert.Equal(sameTime, request.Offer);
        Assert.Equal(RequestAction.OfferReached, request.History[^1].Action);
    }

    [Fact]
    public void A_repeated_confirmation_changes_nothing()
    {
        var request = Offered(Given.Wish(), auto: false, "li.na");
        var announced = request.Offer!.ExpiresAt;
        clock.Advance(TimeSpan.FromMinutes(3));
        request.ConfirmOfferReached("li.na", announced, clock.GetUtcNow());
        var once = Given.Snapshot(request);
        var version = request.Version;
        var offer = request.Offer;

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(request.ConfirmOfferReached("li.na", announced, clock.GetUtcNow()));
        Assert.Null(request.ConfirmOfferReached("li.na", request.Offer!.ExpiresAt, clock.GetUtcNow()));

        Assert.Equal(once, Given.Snapshot(request));
        Assert.Equal(version, request.Version);
        Assert.Equal(offer, request.Offer);
        Assert.Equal(Min(13), request.Offer.ExpiresAt);
    }

    [Fact]
    public void No_confirmation_moves_an_offer_that_was_accepted_declined_or_already_expired()
    {
        var accepted = Offered(Given.Wish(), auto: false, "li.na");
        var announced = accepted.Offer!.ExpiresAt;
        accepted.AcceptOffer(Given.Volunteer("li.na"), Min(1));
        var declined = Offered(Given.Wish(), auto: false, "li.na");
        Assert.Null(declined.DeclineOffer(Given.Volunteer("li.na"), null, Min(1)));

        // Expired but not yet lapsed by the clock (the grain's timer is a moment late): too late all the same.
        var expired = Offered(Given.Wish(), auto: false, "li.na");

        clock.Advance(TimeSpan.FromMinutes(10));
        foreach (var request in new[] { accepted, declined, expired })
        {
            var before = Given.Snapshot(request);
            var (version, offer) = (request.Version, request.Offer);

            Assert.Null(request.ConfirmOfferReached("li.na", announced, clock.GetUtcNow()));

            Assert.Equal(before, Given.Snapshot(request));
            Assert.Equal((version, offer), (request.Version, request.Offer));
        }

        Assert.Equal(Min(10), expired.Offer!.ExpiresAt);
        Assert.Single(expired.Advance(clock.GetUtcNow()));
    }

    [Fact]
    public void A_confirmation_names_its_offer_another_volunteer_or_an_earlier_offer_moves_nothing()
    {
        var request = Offered(Given.Wish(), auto: true, "a", "b");
        var first = request.Offer!.ExpiresAt;

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(request.ConfirmOfferReached("b", first, clock.GetUtcNow()));
        Assert.Null(request.Offer!.ReachedAt);

        // a's offer lapses; b is offered now. a's late word about their offer, and b's word naming a's expiry, move nothing.
        clock.Advance(TimeSpan.FromMinutes(8));
        request.Advance(clock.GetUtcNow());
        Assert.Equal("b", request.Offer!.Volunteer);
        var (before, offer) = (Given.Snapshot(request), request.Offer);
        Assert.Null(request.ConfirmOfferReached("a", first, clock.GetUtcNow()));
        Assert.Null(request.ConfirmOfferReached("b", first, clock.GetUtcNow()));
        Assert.Equal((before, offer), (Given.Snapshot(request), request.Offer));

        // b's own confirmation, naming the expiry b was told, restarts b's clock.
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(request.ConfirmOfferReached("b", Min(20), clock.GetUtcNow()));
        Assert.Equal((Min(21), Min(11)), (request.Offer!.ExpiresAt, request.Offer.ReachedAt));
    }

    [Fact]
    public void The_offered_notice_announces_the_expiry_that_names_the_offer()
    {
        var request = Create(Given.Wish());
        Assert.Null(request.Dispatch(Staff, ["li.na"], auto: false, clock.GetUtcNow()));

        var offered = request.History[^1];
        var notice = Assert.Single(RequestNotices.For(request, offered));

        Assert.Equal(("li.na", NoticeKind.Offered), (notice.Username, notice.Notice.Kind));
        Assert.Equal(request.Offer!.ExpiresAt, notice.Notice.Until);
        Assert.Empty(RequestNotices.For(request, request.History[^1] with { Action = RequestAction.OfferReached }));
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.Offered)), request.TakeNotices());
    }
}
