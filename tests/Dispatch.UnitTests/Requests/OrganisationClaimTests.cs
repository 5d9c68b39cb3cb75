using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Requests;

/// <summary>An organisation (双报到单位) claims several places of an activity at once, all or nothing.</summary>
public sealed class OrganisationClaimTests
{
    [Fact]
    public void An_organisation_claim_holds_every_place_it_asked_for_in_one_claim()
    {
        var request = OpenActivity(6);

        Assert.Null(request.CheckClaim("member.zhang", Given.CommunityId, places: 4));
        request.ApplyClaim("member.zhang", Min(1), Organisation, places: 4);

        var claim = Assert.Single(request.Claims);
        Assert.Equal(new ClaimRecord("member.zhang", Min(1), Organisation, 4), claim);
        Assert.Equal(4, claim.PlaceCount);
        Assert.Equal(4, request.PlacesTaken);
        Assert.Equal(2, request.FreePlaces);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal<string>(["member.zhang"], request.Claimants);
        var entry = request.History[^1];
        Assert.Equal((RequestAction.Claimed, "member.zhang"), (entry.Action, entry.Actor));
        Assert.Contains(Organisation, entry.Note, StringComparison.Ordinal);
        Assert.Contains("4 place(s)", entry.Note, StringComparison.Ordinal);
        Assert.Equal(4, request.ToSummary().PlacesTaken);
        Assert.Equal(1, request.ToSummary().ClaimantCount);
        Assert.Equal(2, request.ToSummary().FreePlaces);
        Assert.Equal(2, request.ToView().FreePlaces);
    }

    [Fact]
    public void An_organisation_claim_of_every_place_makes_the_request_claimed()
    {
        var request = OpenActivity(5);

        request.ApplyClaim("member.zhang", Min(1), Organisation, places: 5);

        Assert.Equal(RequestStatus.Claimed, request.Status);
        Assert.Equal(0, request.FreePlaces);
        Assert.Equal(ClaimLoss.Full, request.CheckClaim("someone", Given.CommunityId));
    }

    [Fact]
    public void An_organisation_taking_the_last_places_makes_the_request_claimed_exactly_then()
    {
        var request = OpenActivity(5);
        request.ApplyClaim("a", Min(1));
        request.ApplyClaim("b", Min(1));
        Assert.Equal(RequestStatus.Open, request.Status);

        Assert.Null(request.CheckClaim("member.zhang", Given.CommunityId, places: 3));
        request.ApplyClaim("member.zhang", Min(2), Organisation, places: 3);

        Assert.Equal(RequestStatus.Claimed, request.Status);
        Assert.Equal(5, request.PlacesTaken);
    }

    [Fact]
    public void An_organisation_asking_for_more_places_than_are_free_loses_with_notEnoughPlaces_and_takes_none()
    {
        var request = OpenActivity(5);
        request.ApplyClaim("a", Min(1));
        request.ApplyClaim("b", Min(1));
        var before = Given.Snapshot(request);

        Assert.Equal(ClaimLoss.NotEnoughPlaces, request.CheckClaim("member.zhang", Given.CommunityId, places: 4));
        Assert.Throws<InvalidOperationException>(() => request.ApplyClaim("member.zhang", Min(2), Organisation, places: 4));

        Assert.Equal(before, Given.Snapshot(request));
        Assert.Equal(2, request.PlacesTaken);
    }

    [Fact]
    public void An_organisation_asking_for_places_of_a_full_activity_loses_with_full()
    {
        var request = OpenActivity(2);
        request.ApplyClaim("a", Min(1));
        request.ApplyClaim("b", Min(1));

        Assert.Equal(ClaimLoss.Full, request.CheckClaim("member.zhang", Given.CommunityId, places: 2));
    }

    [Fact]
    public void Reserved_wins_over_notEnoughPlaces_only_when_no_place_is_free()
    {
        var request = Offered(Given.Activity(3), auto: false, "li.na");

        Assert.Equal(ClaimLoss.NotEnoughPlaces, request.CheckClaim("member.zhang", Given.CommunityId, places: 3));
        Assert.Null(request.CheckClaim("member.zhang", Given.CommunityId, places: 2));
        request.ApplyClaim("member.zhang", Min(1), Organisation, places: 2);

        Assert.Equal(ClaimLoss.Reserved, request.CheckClaim("member.wu", Given.CommunityId, places: 2));
        Assert.Equal(ClaimLoss.Reserved, request.CheckClaim("member.wu", Given.CommunityId));
    }

    [Fact]
    public void An_individual_claim_after_an_organisation_claim_takes_the_remaining_places_one_by_one()
    {
        var request = OpenActivity(4);
        request.ApplyClaim("member.zhang", Min(1), Organisation, places: 2);

        request.ApplyClaim("a", Min(2));
        Assert.Equal(RequestStatus.Open, request.Status);
        request.ApplyClaim("b", Min(3));

        Assert.Equal(RequestStatus.Claimed, request.Status);
        Assert.Equal(ClaimLoss.Full, request.CheckClaim("c", Given.CommunityId));
        Assert.Equal(4, request.PlacesTaken);
        Assert.Equal(3, request.Claims.Length);
    }

    [Fact]
    public void A_member_who_claimed_for_an_organisation_cannot_claim_again_for_themself()
    {
        var request = OpenActivity(6);
        request.ApplyClaim("member.zhang", Min(1), Organisation, places: 2);

        Assert.Equal(ClaimLoss.AlreadyClaimed, request.CheckClaim("member.zhang", Given.CommunityId));
        Assert.Equal(ClaimLoss.AlreadyClaimed, request.CheckClaim("member.zhang", Given.CommunityId, places: 2));
    }

    [Fact]
    public void Releasing_an_organisation_claim_frees_all_its_places()
    {
        var request = OpenActivity(4);
        request.ApplyClaim("member.zhang", Min(1), Organisation, places: 3);
        request.ApplyClaim("a", Min(1));
        Assert.Equal(RequestStatus.Claimed, request.Status);

        Assert.Null(request.Release(Given.Volunteer("member.zhang"), Min(2)));

        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal(1, request.PlacesTaken);
        Assert.Equal(3, request.FreePlaces);
    }

    [Fact]
    public void An_organisation_claim_not_started_in_time_expires_and_frees_all_its_places()
    {
        var policy = Given.PolicyOf(TimeSpan.FromDays(1)) with { StartWithin = TimeSpan.FromMinutes(10) };
        var request = OpenActivity(4, policy);
        request.ApplyClaim("member.zhang", Min(0), Organisation, places: 4);

        request.Advance(Min(10));

        Assert.Empty(request.Claims);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal(4, request.FreePlaces);
    }

    [Fact]
    public void An_organisation_claim_from_outside_the_community_is_lost_with_outsideCommunity()
    {
        var request = OpenActivity(4);

        Assert.Equal(ClaimLoss.OutsideCommunity, request.CheckClaim("member.zhang", Given.OtherCommunityId, places: 2));
    }

    [Fact]
    public void An_organisation_claim_on_a_started_activity_is_lost_with_notOpen()
    {
        var request = OpenActivity(6);
        request.ApplyClaim("a", Min(0));
        Assert.Null(request.Start(Given.Volunteer("a"), Min(1)));

        Assert.Equal(ClaimLoss.NotOpen, request.CheckClaim("member.zhang", Given.CommunityId, places: 2));
    }

    public static TheoryData<int, int> PlacesAndSeeds()
    {
        var data = new TheoryData<int, int>();
        foreach (var places in new[] { 1, 2, 5, 9 })
        {
            foreach (var seed in new[] { 7, 42, 2025 })
            {
                data.Add(places, seed);
            }
        }

        return data;
    }

    /// <summary>
    /// Organisations and individuals race for the places, with releases, dispatch offers and
    /// answers in between. Every attempt gets the answer that matches what it saw, and the places
    /// held plus the one reserved never exceed the activity's places.
    /// </summary>
    [Theory]
    [MemberData(nameof(PlacesAndSeeds))]
    public void Mixed_organisation_and_individual_claims_never_exceed_the_places(int places, int seed)
    {
        var random = new Random(seed);
        var request = Create(Given.Activity(places) with { Kind = places == 1 ? RequestKind.Wish : RequestKind.Activity });
        var volunteers = Given.Names("v", (places * 3) + 4);

        for (var step = 0; step < 1_500; step++)
        {
            var volunteer = volunteers[random.Next(volunteers.Length)];
            var action = random.Next(10);
            if (action == 0 && request.Claimants.Length > 0)
            {
                var leaving = request.Claimants[random.Next(request.Claimants.Length)];
                Assert.Null(request.Release(Given.Volunteer(leaving), Min(step)));
            }
            else if (action == 1 && request.Offer is null && request.Status == RequestStatus.Open)
            {
                _ = request.Dispatch(Staff, [volunteer], auto: false, Min(step));
            }
            else if (action == 2 && request.Offer is { } offer)
            {
                Assert.Null(request.DeclineOffer(Given.Volunteer(offer.Volunteer), null, Min(step)));
            }
            else
            {
                // The offered volunteer claiming for an organisation is its own test
                // (DispatchOfferTests.The_offered_volunteer_claiming_several_places_for_an_organisation_gets_them_all).
                var wanted = random.Next(3) == 0 && !request.IsOfferedTo(volunteer) ? random.Next(1, places + 2) : 1;
                var heldBefore = request.PlacesTaken;
                var free = request.FreePlaces + (request.IsOfferedTo(volunteer) ? 1 : 0);
                var isClaimant = request.IsClaimant(volunteer);
                var loss = request.CheckClaim(volunteer, Given.CommunityId, wanted);

                if (isClaimant)
                {
                    Assert.Equal(ClaimLoss.AlreadyClaimed, loss);
                }
                else if (request.Status == RequestStatus.Claimed)
                {
                    Assert.Equal(ClaimLoss.Full, loss);
                }
                else if (free >= wanted)
                {
                    Assert.Null(loss);
                }
                else if (free > 0)
                {
                    Assert.Equal(ClaimLoss.NotEnoughPlaces, loss);
                }
                else
                {
                    Assert.Equal(request.Offer is null ? ClaimLoss.Full : ClaimLoss.Reserved, loss);
                }

                if (loss is null)
                {
                    var offeredThisOne = request.IsOfferedTo(volunteer);
                    request.ApplyClaim(volunteer, Min(step), wanted > 1 ? Organisation : null, wanted);
                    Assert.True(request.IsClaimant(volunteer));
                    Assert.Equal(heldBefore + wanted, request.PlacesTaken);
                    if (offeredThisOne)
                    {
                        Assert.Null(request.Offer);
                    }
                }
                else
                {
                    Assert.Equal(heldBefore, request.PlacesTaken);
                }
            }

            Assert.InRange(request.PlacesTaken + (request.Offer is null ? 0 : 1), 0, places);
            Assert.True(request.FreePlaces >= 0);
            Assert.Equal(request.Claimants.Length, request.Claimants.Distinct().Count());
            Assert.Equal(request.PlacesTaken >= places ? RequestStatus.Claimed : RequestStatus.Open, request.Status);
        }
    }
}
