using System.Collections.Immutable;

namespace Dispatch.Requests;

/// <summary>
/// The claims that stand on a request (<see cref="ServiceRequest.Claims"/>, as stored): who holds
/// how many places. A view over the stored array: reading it allocates nothing, which matters on
/// the losing path of a claim storm.
/// </summary>
public readonly record struct ClaimBook(ImmutableArray<ClaimRecord> Claims)
{
    /// <summary>Places held by claims.</summary>
    public int PlacesTaken
    {
        get
        {
            var taken = 0;
            foreach (var claim in Claims)
            {
                taken += claim.PlaceCount;
            }

            return taken;
        }
    }

    public ImmutableArray<string> Volunteers => [.. Claims.Select(c => c.Volunteer)];

    /// <summary>Whether <paramref name="username"/> holds a claim here.</summary>
    public bool Holds(string username)
    {
        foreach (var claim in Claims)
        {
            if (string.Equals(claim.Volunteer, username, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the claims fill <paramref name="places"/>.</summary>
    public bool Fills(int places) => PlacesTaken >= places;

    public ClaimBook With(ClaimRecord claim) => new(Claims.Add(claim));

    public ClaimBook Without(string volunteer) => new(Claims.RemoveAll(c => c.Volunteer == volunteer));

    /// <summary>
    /// Why a volunteer cannot take <paramref name="places"/> places now, given what the request
    /// says, or null when they can. Pure and allocation-free: it answers every losing attempt.
    /// </summary>
    /// <param name="inCommunity">The volunteer belongs to the request's community (or an offer reaches them).</param>
    /// <param name="free">Places free to this volunteer (the place an offer reserves for them included).</param>
    /// <param name="offerPending">An offer reserves a place for someone.</param>
    public ClaimLoss? Check(string username, int places, bool inCommunity, RequestStatus status, int free, bool offerPending)
    {
        if (!inCommunity)
        {
            return ClaimLoss.OutsideCommunity;
        }

        if (places < 1)
        {
            return ClaimLoss.NotEnoughPlaces;
        }

        if (Holds(username))
        {
            return ClaimLoss.AlreadyClaimed;
        }

        if (status != RequestStatus.Open)
        {
            return status == RequestStatus.Claimed ? ClaimLoss.Full : ClaimLoss.NotOpen;
        }

        if (free >= places)
        {
            return null;
        }

        return free > 0 ? ClaimLoss.NotEnoughPlaces : offerPending ? ClaimLoss.Reserved : ClaimLoss.Full;
    }
}
