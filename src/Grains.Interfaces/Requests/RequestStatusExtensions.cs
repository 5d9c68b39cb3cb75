namespace Dispatch.Requests;

public static class RequestStatusExtensions
{
    /// <summary>
    /// Verified or cancelled: nothing more happens to the request, its deadlines are over, and its
    /// claimants no longer hold claims (until then, from open to completed, they do).
    /// </summary>
    public static bool IsFinal(this RequestStatus status) => status is RequestStatus.Verified or RequestStatus.Cancelled;
}
