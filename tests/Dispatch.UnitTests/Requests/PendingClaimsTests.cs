using Dispatch.Requests;

namespace Dispatch.UnitTests.Requests;

public sealed class PendingClaimsTests
{
    [Fact]
    public void With_nothing_held_an_attempt_the_request_allows_goes_on()
    {
        var pending = new PendingClaims();

        Assert.True(pending.IsEmpty);
        Assert.Null(pending.Check("ana", places: 1, freePlaces: 1));
    }

    [Fact]
    public void A_held_last_place_turns_the_next_attempt_away_as_full()
    {
        var pending = new PendingClaims();
        using var hold = pending.Take("ana", 1);

        Assert.Equal(ClaimLoss.Full, pending.Check("bo", 1, freePlaces: 1));
        Assert.Null(pending.Check("bo", 1, freePlaces: 2));
    }

    [Fact]
    public void The_holder_trying_again_is_told_it_already_claimed()
    {
        var pending = new PendingClaims();
        using var hold = pending.Take("ana", 1);

        Assert.Equal(ClaimLoss.AlreadyClaimed, pending.Check("ana", 1, freePlaces: 5));
    }

    [Fact]
    public void An_organisation_asking_for_more_places_than_are_left_unheld_gets_not_enough_places()
    {
        var pending = new PendingClaims();
        using var hold = pending.Take("ana", 2);

        Assert.Equal(2, pending.Places);
        Assert.Equal(ClaimLoss.NotEnoughPlaces, pending.Check("org-lead", 3, freePlaces: 4));
        Assert.Null(pending.Check("org-lead", 2, freePlaces: 4));
    }

    [Fact]
    public void Released_holds_free_their_places_and_a_second_release_changes_nothing()
    {
        var pending = new PendingClaims();
        var first = pending.Take("ana", 1);
        var second = pending.Take("bo", 1);

        first.Dispose();
        first.Dispose();

        Assert.Equal(1, pending.Places);
        Assert.Null(pending.Check("ana", 1, freePlaces: 2));
        second.Dispose();
        Assert.True(pending.IsEmpty);
        Assert.Equal(0, pending.Places);
    }
}
