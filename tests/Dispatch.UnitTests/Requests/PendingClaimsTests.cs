using Dispatch.Requests;

namespace Dispatch.UnitTests.Requests;

public sealed class PendingClaimsTests
{
    [Fact]
    public void With_nothing_held_an_attempt_the_request_allows_goes_on()
    {
        var pending = new PendingClaims();

        Assert.True(pending.IsEmpty);
        Assert.False(pending.Blocks("ana", places: 1, freePlaces: 1));
    }

    [Fact]
    public void A_held_last_place_stands_in_the_way_of_the_next_attempt_only_while_it_is_the_last()
    {
        var pending = new PendingClaims();
        using var hold = pending.Take("ana", 1);

        Assert.True(pending.Blocks("bo", 1, freePlaces: 1));
        Assert.False(pending.Blocks("bo", 1, freePlaces: 2));
    }

    [Fact]
    public void The_holder_trying_again_waits_for_its_own_hold()
    {
        var pending = new PendingClaims();
        using var hold = pending.Take("ana", 1);

        Assert.True(pending.Blocks("ana", 1, freePlaces: 5));
    }

    [Fact]
    public void An_organisation_asking_for_more_places_than_are_left_unheld_waits()
    {
        var pending = new PendingClaims();
        using var hold = pending.Take("ana", 2);

        Assert.Equal(2, pending.Places);
        Assert.True(pending.Blocks("org-lead", 3, freePlaces: 4));
        Assert.False(pending.Blocks("org-lead", 2, freePlaces: 4));
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
        Assert.False(pending.Blocks("ana", 1, freePlaces: 2));
        second.Dispose();
        Assert.True(pending.IsEmpty);
        Assert.Equal(0, pending.Places);
    }

    [Fact]
    public void Waiters_are_woken_by_the_next_release_and_not_before()
    {
        var pending = new PendingClaims();
        var first = pending.Take("ana", 1);
        var second = pending.Take("bo", 1);

        var waiting = pending.Released();
        var sameWait = pending.Released();
        Assert.False(waiting.IsCompleted);
        Assert.Same(waiting, sameWait);

        first.Dispose();
        Assert.True(waiting.IsCompletedSuccessfully);

        // A wait begun after that release is for the next one.
        var next = pending.Released();
        Assert.False(next.IsCompleted);
        first.Dispose();
        Assert.False(next.IsCompleted);
        second.Dispose();
        Assert.True(next.IsCompletedSuccessfully);
    }
}
