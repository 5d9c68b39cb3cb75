namespace Dispatch.Requests;

/// <summary>
/// Places held by claims that are being decided: their volunteer is being asked for a claim slot,
/// or the claim is being stored. Attempts that arrive meanwhile are judged against the request as
/// if those claims had been made, so that they lose at once instead of waiting for that I/O.
/// </summary>
/// <remarks>
/// A hold is a refusal of others, never a claim: if the held claim then fails (the volunteer is
/// at their limit, the write fails), its places are free again, and the attempts it turned away
/// were refused on a claim that did not happen, as they would have been had it come a moment sooner.
/// </remarks>
public sealed class PendingClaims
{
    private readonly Dictionary<string, int> holders = new(StringComparer.Ordinal);

    /// <summary>Places held in all.</summary>
    public int Places { get; private set; }

    public bool IsEmpty => holders.Count == 0;

    /// <summary>
    /// The loss an attempt meets once the held claims are counted, for an attempt the request
    /// itself allows; null when it may go on to be decided. <paramref name="freePlaces"/> is what
    /// the request has free for this volunteer.
    /// </summary>
    public ClaimLoss? Check(string username, int places, int freePlaces)
    {
        if (holders.ContainsKey(username))
        {
            return ClaimLoss.AlreadyClaimed;
        }

        var free = freePlaces - Places;
        return free >= places ? null : free > 0 ? ClaimLoss.NotEnoughPlaces : ClaimLoss.Full;
    }

    /// <summary>Holds places for a claim about to be decided; dispose the hold when it is (once the claim is applied, or has failed).</summary>
    public Hold Take(string username, int places)
    {
        holders[username] = holders.GetValueOrDefault(username) + places;
        Places += places;
        return new Hold(this, username, places);
    }

    private void Release(string username, int places)
    {
        Places -= places;
        if ((holders[username] -= places) == 0)
        {
            holders.Remove(username);
        }
    }

    /// <summary>One claim's hold; releasing it twice releases it once.</summary>
    public sealed class Hold(PendingClaims owner, string username, int places) : IDisposable
    {
        private bool released;

        public void Dispose()
        {
            if (!released)
            {
                released = true;
                owner.Release(username, places);
            }
        }
    }
}
