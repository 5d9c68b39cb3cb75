using System.Collections.Immutable;
using Dispatch.Points;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Requests;

/// <summary>The rules ServiceRequest delegates to its value objects, each on its own.</summary>
public sealed class RequestValueObjectTests
{
    private static readonly EscalationLadder Ladder = new(Given.PlacePath, "m");

    [Theory]
    [InlineData(0, "m")]
    [InlineData(1, "t")]
    [InlineData(2, "c")]
    [InlineData(3, "r")]
    [InlineData(7, "r")]
    public void The_ladder_climbs_one_place_per_level_and_stops_at_its_root(int level, string place) =>
        Assert.Equal(place, Ladder.PlaceAt(level));

    [Fact]
    public void A_ladder_without_a_path_is_its_community() =>
        Assert.Equal("m", new EscalationLadder([], "m").PlaceAt(2));

    [Theory]
    [InlineData("m", 0, true)]
    [InlineData("t", 0, true)]
    [InlineData("m", 1, false)]
    [InlineData("t", 1, true)]
    [InlineData("r", 1, true)]
    [InlineData("t", 2, false)]
    [InlineData("c", 2, true)]
    [InlineData("r", 3, true)]
    [InlineData("c", 3, false)]
    [InlineData("elsewhere", 0, false)]
    public void A_place_answers_for_a_level_when_it_is_that_levels_place_or_above_it(string place, int level, bool answers) =>
        Assert.Equal(answers, Ladder.IsAtOrAbove(place, level));

    [Fact]
    public void The_level_never_climbs_past_the_top() =>
        Assert.Equal((1, 3, 3), (EscalationLadder.Above(0), EscalationLadder.Above(2), EscalationLadder.Above(3)));

    [Fact]
    public void A_claim_book_counts_places_and_holders()
    {
        var book = new ClaimBook([]).With(new ClaimRecord("a", Given.Morning)).With(new ClaimRecord("org.member", Given.Morning, "org", 3));

        Assert.Equal(4, book.PlacesTaken);
        Assert.True(book.Holds("org.member"));
        Assert.False(book.Holds("b"));
        Assert.True(book.Fills(4));
        Assert.Equal<string>(["a"], book.Without("org.member").Volunteers);
    }

    [Theory]
    [InlineData("a", 1, false, RequestStatus.Open, 2, false, ClaimLoss.OutsideCommunity)]
    [InlineData("b", 0, true, RequestStatus.Open, 2, false, ClaimLoss.NotEnoughPlaces)]
    [InlineData("a", 1, true, RequestStatus.Open, 2, false, ClaimLoss.AlreadyClaimed)]
    [InlineData("b", 1, true, RequestStatus.Claimed, 0, false, ClaimLoss.Full)]
    [InlineData("b", 1, true, RequestStatus.InProgress, 0, false, ClaimLoss.NotOpen)]
    [InlineData("b", 2, true, RequestStatus.Open, 1, false, ClaimLoss.NotEnoughPlaces)]
    [InlineData("b", 1, true, RequestStatus.Open, 0, true, ClaimLoss.Reserved)]
    [InlineData("b", 1, true, RequestStatus.Open, 0, false, ClaimLoss.Full)]
    public void A_claim_book_gives_the_first_reason_a_claim_loses(
        string username, int places, bool inCommunity, RequestStatus status, int free, bool offerPending, ClaimLoss loss) =>
        Assert.Equal(loss, new ClaimBook([new ClaimRecord("a", Given.Morning)]).Check(username, places, inCommunity, status, free, offerPending));

    [Fact]
    public void A_claim_book_lets_a_free_place_be_taken() =>
        Assert.Null(new ClaimBook([]).Check("b", 2, inCommunity: true, RequestStatus.Open, free: 2, offerPending: false));

    [Fact]
    public void An_offer_line_skips_duplicates_and_holders_and_keeps_the_order()
    {
        var line = CandidateLine.Of(["a", "b", "a", "c", "d"], holds: v => v == "c");

        Assert.Equal<string>(["a", "b", "d"], line.Queue);
        var (next, after) = line.TakeNext(v => v == "a");
        Assert.Equal("b", next);
        Assert.Equal<string>(["d"], after.Queue);
        Assert.Equal((null, true), (after.TakeNext(_ => true).Next, after.TakeNext(_ => true).After.IsEmpty));
    }

    [Fact]
    public void The_outbox_credits_each_participant_once_reverses_with_partial_debits_and_forgets_what_was_posted()
    {
        var request = new RequestPoints(Guid.Empty, "m", RequestKind.Activity, "Free clinic", Award: 10);
        ImmutableArray<ClaimRecord> claims = [new("a", Given.Morning), new("org.member", Given.Morning, "org", 3)];

        ImmutableArray<string> participants = ["org.member", "org.li"];

        var earned = new PointsOutbox([]).Add(PointsOutbox.Earnings(request, claims, participants, seq: 7, "grid.wang"));
        var reversed = earned.Add(PointsOutbox.Reversals(request, claims, participants, seq: 7, "town.zhao"));

        Assert.Equal([10, 10, 10, -10, -10, -10], reversed.Postings.Select(p => p.Posting.Amount));
        Assert.Equal($"request:{Guid.Empty}:earn:7:org.member", reversed.Postings[1].Posting.Key);
        Assert.Equal($"request:{Guid.Empty}:earn:7:org.li", reversed.Postings[2].Posting.Key);
        Assert.All(reversed.Postings.Skip(3), p => Assert.True(p.Posting.AllowPartialDebit));
        Assert.All(reversed.Postings.Skip(3), p => Assert.Equal(PostingKind.Reversal, p.Posting.Kind));
        Assert.Null(reversed.Confirm(["unknown"]));
        Assert.Equal(4, reversed.Confirm([reversed.Postings[0].Posting.Key, reversed.Postings[3].Posting.Key])!.Value.Postings.Length);
    }

    [Fact]
    public void Nothing_is_owed_for_a_request_without_an_award() =>
        Assert.Empty(PointsOutbox.Earnings(new RequestPoints(Guid.Empty, "m", RequestKind.Wish, "Cup", 0), [new("a", Given.Morning)], [], 1, "s"));
}
