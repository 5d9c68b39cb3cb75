namespace Dispatch.Requests;

/// <summary>
/// Places held by claims that are being decided: their volunteer is being asked for a claim slot,
/// or the claim is being stored. Together with the claims already made they never exceed the
/// request's places.
/// </summary>
/// <remarks>
/// A hold is not a claim: it may still fail (the volunteer is at their limit, the write fails).
/// So an attempt that only the holds stand in the way of is never refused on their account; it
/// waits until a hold is decided (<see cref="Released"/>) and is judged again, against claims
/// that stand. That keeps every refusal's reason true, at the price of a wait as long as the
/// holder's I/O, and only for the attempts that arrive during it.
/// </remarks>
public sealed class PendingClaims
{
    private readonly Dictionary<string, int> holders = new(StringComparer.Ordinal);
    private TaskCompletionSource? released;

    /// <summary>Places held in all.</summary>
    public int Places { get; private set; }

    public bool IsEmpty => holders.Count == 0;

    /// <summary>
    /// Whether the held claims stand in the way of an attempt the request itself allows: the
    /// volunteer holds one already, or too few of <paramref name="freePlaces"/> (what the request
    /// has free for this volunteer) are left unheld.
    /// </summary>
    public bool Blocks(string username, int places, int freePlaces) =>
        holders.ContainsKey(username) || freePlaces - Places < places;

    /// <summary>Completes when the next hold is released, whichever it is and however it ended.</summary>
    public Task Released() =>
        (released ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

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

        if (released is { } waiting)
        {
            released = null;
            waiting.SetResult();
        }
    }

    /// <summary>One claim's hold; releasing it twice releases it once.</summary>
    public sealed class Hold(PendingClaims owner, string username, int places) : IDisposable
    {
        private bool isReleased;

        public void Dispose()
        {
            if (!isReleased)
            {
                isReleased = true;
                owner.Release(username, places);
            }
        }
    }
}
