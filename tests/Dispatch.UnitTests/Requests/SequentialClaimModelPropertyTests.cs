using Dispatch.Requests;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Requests;

/// <summary>
/// A sequential model of claiming, on <see cref="ServiceRequest"/> alone: one attempt or release at
/// a time, in a random (seeded, so reproducible) order, each attempt doing what the request grain
/// does in its turn (CheckClaim, then ApplyClaim only when it returned null). Nothing runs
/// concurrently here: the grain's turns and interleaved claims are tested against a real cluster
/// (RequestGrainTests, ClaimStormTests).
/// </summary>
public sealed class SequentialClaimModelPropertyTests
{
    private const int Steps = 2_000;

    public static TheoryData<int, int> PlacesAndSeeds()
    {
        var data = new TheoryData<int, int>();
        foreach (var places in new[] { 1, 3, 7 })
        {
            foreach (var seed in new[] { 1, 42, 2025, 90_000 })
            {
                data.Add(places, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PlacesAndSeeds))]
    public void Claimants_never_exceed_places_never_repeat_and_claimed_means_full(int places, int seed)
    {
        var random = new Random(seed);
        var request = Given.Open(Given.Activity(places) with { Kind = places == 1 ? RequestKind.Wish : RequestKind.Activity });
        var volunteers = Given.Names("volunteer", (places * 4) + 5);
        var wins = 0;
        var releases = 0;

        for (var step = 0; step < Steps; step++)
        {
            var versionBefore = request.Version;
            var claimantsBefore = request.Claimants;

            if (claimantsBefore.Length > 0 && random.Next(4) == 0)
            {
                var leaving = claimantsBefore[random.Next(claimantsBefore.Length)];
                Assert.Null(request.Release(Given.Volunteer(leaving), Given.Morning));
                Assert.DoesNotContain(leaving, request.Claimants);
                Assert.Equal(versionBefore + 1, request.Version);
                releases++;
            }
            else
            {
                var volunteer = volunteers[random.Next(volunteers.Length)];
                var loss = request.CheckClaim(volunteer, Given.CommunityId);

                // Every attempt gets a definite answer, and the answer matches the state it saw.
                if (claimantsBefore.Contains(volunteer))
                {
                    Assert.Equal(ClaimLoss.AlreadyClaimed, loss);
                }
                else if (claimantsBefore.Length == places)
                {
                    Assert.Equal(ClaimLoss.Full, loss);
                }
                else
                {
                    Assert.Null(loss);
                }

                if (loss is null)
                {
                    request.ApplyClaim(volunteer, Given.Morning);
                    Assert.Equal<string>(claimantsBefore.Add(volunteer), request.Claimants);
                    Assert.Equal(versionBefore + 1, request.Version);
                    wins++;
                }
                else
                {
                    Assert.Equal<string>(claimantsBefore, request.Claimants);
                    Assert.Equal(versionBefore, request.Version);
                }
            }

            AssertInvariants(request, places);
        }

        // The storm really exercised both paths, and the audit trail adds up.
        Assert.True(wins > places, $"only {wins} wins");
        Assert.True(releases > 0, "no releases");
        Assert.Equal(1 + wins + releases, request.Version);
        var claimedEntries = request.History.Count(h => h.Action == RequestAction.Claimed);
        var releasedEntries = request.History.Count(h => h.Action == RequestAction.Released);
        Assert.Equal(request.Claimants.Length, claimedEntries - releasedEntries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Every_volunteer_once_in_a_random_order_exactly_N_win_and_the_rest_lose_with_full(int places)
    {
        var volunteers = Given.Names("volunteer", 200);
        foreach (var seed in Enumerable.Range(1, 10))
        {
            var order = volunteers.ToArray();
            new Random(seed).Shuffle(order);
            var request = Given.Open(Given.Activity(places) with { Kind = places == 1 ? RequestKind.Wish : RequestKind.Activity });
            var losses = new List<ClaimLoss>();

            foreach (var volunteer in order)
            {
                if (request.CheckClaim(volunteer, Given.CommunityId) is { } loss)
                {
                    losses.Add(loss);
                }
                else
                {
                    request.ApplyClaim(volunteer, Given.Morning);
                }

                AssertInvariants(request, places);
            }

            Assert.Equal<string>(order.Take(places), request.Claimants);
            Assert.Equal(volunteers.Length - places, losses.Count);
            Assert.All(losses, loss => Assert.Equal(ClaimLoss.Full, loss));
            Assert.Equal(RequestStatus.Claimed, request.Status);
        }
    }

    private static void AssertInvariants(ServiceRequest request, int places)
    {
        Assert.InRange(request.Claimants.Length, 0, places);
        Assert.Equal(request.Claimants.Length, request.Claimants.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(places - request.Claimants.Length, request.FreePlaces);
        Assert.Equal(request.Claimants.Length == places ? RequestStatus.Claimed : RequestStatus.Open, request.Status);
        Assert.Equal(request.History.Length, request.Version);
    }
}
