using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Volunteers;

/// <summary>A volunteer's record of offers and of claims reinstated by an overturned verification.</summary>
public sealed class VolunteerOfferTests
{
    private const int Limit = 2;

    private static readonly VolunteerProfile LiNa = new("li.na", "Li Na", Given.CommunityId, ["first aid"]);

    private static VolunteerRecord Registered()
    {
        var record = new VolunteerRecord();
        record.Register(LiNa, Given.Morning);
        return record;
    }

    private static VolunteerRecord WithCompleted(Guid requestId)
    {
        var record = Registered();
        Assert.True(record.TryReserve(requestId, Limit, Min(1)));
        Assert.True(record.End(requestId, ClaimEnd.Completed, Min(2)));
        return record;
    }

    // ---- reinstatement ----

    [Fact]
    public void Reinstate_takes_the_slot_back_and_the_completion_no_longer_counts()
    {
        var request = Guid.NewGuid();
        var record = WithCompleted(request);
        Assert.Equal(1, record.CompletedCount);

        Assert.True(record.Reinstate(request, Min(3)));

        Assert.True(record.Holds(request));
        Assert.Equal(0, record.CompletedCount);
        Assert.Equal(new VolunteerHistoryEntry(Min(3), VolunteerAction.ClaimReinstated, request), record.History[^1]);
        Assert.Equal(0, record.ToView(Limit)?.CompletedCount);
    }

    [Fact]
    public void Reinstate_is_idempotent_a_repeated_call_changes_nothing()
    {
        var request = Guid.NewGuid();
        var record = WithCompleted(Guid.NewGuid());
        Assert.True(record.TryReserve(request, Limit, Min(3)));
        Assert.True(record.End(request, ClaimEnd.Completed, Min(4)));
        Assert.Equal(2, record.CompletedCount);

        Assert.True(record.Reinstate(request, Min(5)));
        var history = record.History.Length;
        Assert.False(record.Reinstate(request, Min(6)));
        Assert.False(record.Reinstate(request, Min(7)));

        Assert.Equal(1, record.CompletedCount);
        Assert.Equal(history, record.History.Length);
        Assert.Single(record.ActiveClaims, request);
    }

    [Fact]
    public void Reinstate_takes_the_slot_back_even_at_the_claim_limit()
    {
        var reinstated = Guid.NewGuid();
        var record = WithCompleted(reinstated);
        Assert.True(record.TryReserve(Guid.NewGuid(), Limit, Min(3)));
        Assert.True(record.TryReserve(Guid.NewGuid(), Limit, Min(3)));
        Assert.False(record.HasFreeSlot(Limit));

        Assert.True(record.Reinstate(reinstated, Min(4)));

        Assert.Equal(Limit + 1, record.ActiveClaims.Length);
        Assert.False(record.TryReserve(Guid.NewGuid(), Limit, Min(5)));
    }

    [Fact]
    public void Reinstate_of_a_request_never_completed_changes_nothing()
    {
        var record = WithCompleted(Guid.NewGuid());
        var other = Guid.NewGuid();

        Assert.False(record.Reinstate(other, Min(3)));

        Assert.Equal(1, record.CompletedCount);
        Assert.False(record.Holds(other));
    }

    [Fact]
    public void Completed_overturned_completed_again_and_overturned_again_counts_nothing()
    {
        var request = Guid.NewGuid();
        var record = WithCompleted(request);

        Assert.True(record.Reinstate(request, Min(3)));
        Assert.True(record.End(request, ClaimEnd.Completed, Min(4)));
        Assert.Equal(1, record.CompletedCount);
        Assert.True(record.Reinstate(request, Min(5)));

        Assert.Equal(0, record.CompletedCount);
    }

    [Fact]
    public void A_late_duplicate_reinstatement_after_the_claim_was_released_does_not_take_the_completion_off_twice()
    {
        // Completed elsewhere once; this request was completed, overturned (reinstated) and then released.
        var request = Guid.NewGuid();
        var record = WithCompleted(Guid.NewGuid());
        Assert.True(record.TryReserve(request, Limit, Min(3)));
        Assert.True(record.End(request, ClaimEnd.Completed, Min(4)));
        Assert.True(record.Reinstate(request, Min(5)));
        Assert.True(record.End(request, ClaimEnd.Released, Min(6)));
        Assert.Equal(1, record.CompletedCount);

        // The same ClaimReinstated notice delivered a second time (a retried call).
        record.Reinstate(request, Min(7));

        Assert.Equal(1, record.CompletedCount);
    }

    [Fact]
    public void Reinstate_takes_the_completion_off_even_when_its_history_entry_was_trimmed()
    {
        // Offers fill the kept history quickly: a busy volunteer's completion entry may be gone
        // by the time staff overturn the verification.
        var request = Guid.NewGuid();
        var record = WithCompleted(request);
        for (var i = 0; i < VolunteerRecord.HistoryKept; i++)
        {
            record.NoteOffer(Guid.NewGuid(), VolunteerAction.OfferDeclined, Min(10 + i));
        }

        Assert.True(record.Reinstate(request, Min(500)));

        Assert.Equal(0, record.CompletedCount);
    }

    // ---- offers ----

    [Theory]
    [InlineData(VolunteerAction.Offered)]
    [InlineData(VolunteerAction.OfferAccepted)]
    [InlineData(VolunteerAction.OfferDeclined)]
    [InlineData(VolunteerAction.OfferLapsed)]
    [InlineData(VolunteerAction.OfferWithdrawn)]
    public void NoteOffer_records_an_offer_or_its_outcome_in_the_history(VolunteerAction action)
    {
        var record = Registered();
        var request = Guid.NewGuid();

        record.NoteOffer(request, action, Min(1));

        Assert.Equal(new VolunteerHistoryEntry(Min(1), action, request), record.History[^1]);
        Assert.Empty(record.ActiveClaims);
        Assert.Equal(0, record.CompletedCount);
    }

    [Theory]
    [InlineData(VolunteerAction.Registered)]
    [InlineData(VolunteerAction.Claimed)]
    [InlineData(VolunteerAction.Released)]
    [InlineData(VolunteerAction.Completed)]
    [InlineData(VolunteerAction.ClaimEnded)]
    [InlineData(VolunteerAction.ClaimReinstated)]
    public void NoteOffer_refuses_what_is_not_about_an_offer(VolunteerAction action)
    {
        var record = Registered();
        var history = record.History.Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => record.NoteOffer(Guid.NewGuid(), action, Min(1)));

        Assert.Equal(history, record.History.Length);
    }

    [Fact]
    public void An_offer_is_pending_until_it_is_answered_lapses_or_is_withdrawn()
    {
        var record = Registered();
        var accepted = Guid.NewGuid();
        var declined = Guid.NewGuid();
        var lapsed = Guid.NewGuid();
        var withdrawn = Guid.NewGuid();
        foreach (var request in new[] { accepted, declined, lapsed, withdrawn })
        {
            record.NoteOffer(request, VolunteerAction.Offered, Min(1));
        }

        Assert.Equal<Guid>([accepted, declined, lapsed, withdrawn], record.PendingOffers);

        record.NoteOffer(accepted, VolunteerAction.OfferAccepted, Min(2));
        record.NoteOffer(declined, VolunteerAction.OfferDeclined, Min(2));
        record.NoteOffer(lapsed, VolunteerAction.OfferLapsed, Min(2));
        Assert.Equal<Guid>([withdrawn], record.PendingOffers);

        record.NoteOffer(withdrawn, VolunteerAction.OfferWithdrawn, Min(3));
        Assert.Empty(record.PendingOffers);
        Assert.Empty(record.ToView(Limit)!.PendingOffers);
    }

    [Fact]
    public void The_same_request_offered_twice_is_pending_once()
    {
        var record = Registered();
        var request = Guid.NewGuid();

        record.NoteOffer(request, VolunteerAction.Offered, Min(1));
        record.NoteOffer(request, VolunteerAction.Offered, Min(2));

        Assert.Single(record.PendingOffers, request);
        Assert.Equal(2, record.History.Count(h => h.Action == VolunteerAction.Offered));
    }

    [Fact]
    public void An_outcome_of_an_offer_never_noted_changes_no_pending_offer()
    {
        var record = Registered();
        var pending = Guid.NewGuid();
        record.NoteOffer(pending, VolunteerAction.Offered, Min(1));

        record.NoteOffer(Guid.NewGuid(), VolunteerAction.OfferLapsed, Min(2));

        Assert.Equal<Guid>([pending], record.PendingOffers);
    }

    [Fact]
    public void Noting_offers_keeps_the_history_bounded()
    {
        var record = Registered();

        for (var i = 0; i < VolunteerRecord.HistoryKept + 20; i++)
        {
            record.NoteOffer(Guid.NewGuid(), VolunteerAction.OfferDeclined, Min(i));
        }

        Assert.Equal(VolunteerRecord.HistoryKept, record.History.Length);
        Assert.Equal(Min(VolunteerRecord.HistoryKept + 19), record.History[^1].At);
    }
}
