using Dispatch.Common;
using Dispatch.Dispatching;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Dispatching;

public sealed class OfferLineTests
{
    private static readonly CandidatePool Ranked = new("m1",
    [
        Candidate("li.na", available: true),
        Candidate("busy.bo", available: false),
        Candidate("zhao.min", available: true),
    ]);

    [Fact]
    public void An_automatic_dispatch_lines_up_the_available_candidates_in_ranked_order()
    {
        Assert.Null(OfferLine.Choose(Given.OpenWish().ToView(), Ranked, volunteer: null, auto: true, out var line));
        Assert.Equal(["li.na", "zhao.min"], line.ToArray());
    }

    [Fact]
    public void A_named_candidate_with_a_free_slot_is_the_whole_line()
    {
        Assert.Null(OfferLine.Choose(Given.OpenWish().ToView(), Ranked, "zhao.min", auto: false, out var line));
        Assert.Equal(["zhao.min"], line.ToArray());
    }

    [Fact]
    public void A_named_candidate_at_the_claim_limit_is_unavailable()
    {
        var refused = OfferLine.Choose(Given.OpenWish().ToView(), Ranked, "busy.bo", auto: false, out var line);

        Assert.Equal(("unavailable", FailureKind.Conflict), (refused?.Code, refused?.Kind));
        Assert.Empty(line);
    }

    [Fact]
    public void A_claimant_is_told_apart_from_a_stranger_to_the_pool()
    {
        var claimed = Given.ClaimedBy(Given.Activity(3), "wu.lei").ToView();

        var claimant = OfferLine.Choose(claimed, Ranked, "wu.lei", auto: false, out _);
        var stranger = OfferLine.Choose(claimed, Ranked, "stranger", auto: false, out _);

        Assert.Equal(("alreadyClaimed", FailureKind.Conflict), (claimant?.Code, claimant?.Kind));
        Assert.Equal(("invalid", "volunteer"), (stranger?.Code, stranger?.Field));
        Assert.Contains("'m1'", stranger!.Detail, StringComparison.Ordinal);
    }

    private static Candidate Candidate(string username, bool available) =>
        new(username, username, "m1", Score: 0, available, [], ActiveClaims: available ? 0 : 5, ClaimLimit: 5, 0, 0, []);
}
