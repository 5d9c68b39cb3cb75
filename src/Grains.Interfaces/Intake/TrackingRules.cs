using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Requests;

namespace Dispatch.Intake;

/// <summary>Where a resident's need stands, in codes the tracking page puts into words.</summary>
public enum TrackingStatus
{
    /// <summary>Filed; staff have not looked at it yet.</summary>
    Waiting,

    /// <summary>Staff declined it; <see cref="TrackingView.Reason"/> says why.</summary>
    Declined,

    /// <summary>Accepted (or merged): on the demand list, nobody has taken it yet.</summary>
    Open,
    Claimed,
    InProgress,
    Completed,
    Verified,
    Cancelled,
}

/// <summary>
/// What a tracking code shows, to whoever holds it: never a phone, an address or anyone's username.
/// </summary>
/// <param name="Deadline">When the current stage is due (claim, start, complete or verify), while the request is unfinished.</param>
/// <param name="Owner">The display name of the staff member responsible (首问负责), once someone took it up.</param>
/// <param name="CheckInCode">The code to give the volunteer at the door: only once claimed, and only for the resident's own request (not one theirs was merged into).</param>
/// <param name="Reason">Why it was declined or cancelled.</param>
/// <param name="Merged">Staff merged it into a request about the same need.</param>
/// <param name="CanAnswer">The resident may answer "is it done?" and rate it through this code: their own request, reported done.</param>
/// <param name="Done">The resident's answer to "is it done?", once given.</param>
/// <param name="Rating">The resident's rating (群众评议), once given.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.TrackingView")]
public sealed record TrackingView(
    TrackingStatus Status,
    string Title,
    DateTimeOffset FiledAt,
    DateTimeOffset? Deadline,
    string? Owner,
    [property: SecretData] string? CheckInCode,
    string? Reason,
    bool Merged,
    bool CanAnswer = false,
    bool? Done = null,
    ResidentRating? Rating = null)
{
    public override string ToString() => ClassifiedText.Of(this);
}

public static class TrackingRules
{
    /// <summary>The view of a resident's filing and, once staff accepted or merged it, its request.</summary>
    public static TrackingView Of(IntakeItem item, RequestView? request, string? ownerName) => item.Status switch
    {
        IntakeStatus.Waiting => new(TrackingStatus.Waiting, item.Title, item.SubmittedAt, null, null, null, null, false),
        IntakeStatus.Declined => new(TrackingStatus.Declined, item.Title, item.SubmittedAt, null, null, null, item.Reason, false),

        // Accepted or merged, with the request not found (it always is): shown as open, the state it was made in.
        _ when request is null => new(TrackingStatus.Open, item.Title, item.SubmittedAt, null, null, null, null, item.Status == IntakeStatus.Merged),
        _ => OfRequest(request, ownerName, ownDoor: item.Status == IntakeStatus.Accepted) with
        {
            Title = item.Title,
            FiledAt = item.SubmittedAt,
            Merged = item.Status == IntakeStatus.Merged,
        },
    };

    /// <summary>
    /// The view of a request the code leads to. <paramref name="ownDoor"/>: the resident is its
    /// beneficiary, so the check-in code (given at their door) is theirs to see once claimed.
    /// </summary>
    public static TrackingView OfRequest(RequestView request, string? ownerName, bool ownDoor)
    {
        var status = StatusOf(request.Status);
        var claimed = request.Status is RequestStatus.Claimed or RequestStatus.InProgress;
        return new(
            status,
            request.Title,
            request.CreatedAt,
            request.Status.IsFinal() ? null : StageDue(request),
            ownerName,
            ownDoor && claimed ? request.CheckInCode : null,
            request.Status == RequestStatus.Cancelled ? request.CancelReason : null,
            false,
            CanAnswer: ownDoor && (request.ResidentFeedback is not null || request.Status is RequestStatus.Completed or RequestStatus.Verified),
            Done: ownDoor ? request.ResidentFeedback?.Done : null,
            Rating: ownDoor ? request.ResidentFeedback?.Rating : null);
    }

    public static TrackingStatus StatusOf(RequestStatus status) => status switch
    {
        RequestStatus.Open => TrackingStatus.Open,
        RequestStatus.Claimed => TrackingStatus.Claimed,
        RequestStatus.InProgress => TrackingStatus.InProgress,
        RequestStatus.Completed => TrackingStatus.Completed,
        RequestStatus.Verified => TrackingStatus.Verified,
        _ => TrackingStatus.Cancelled,
    };

    private static DateTimeOffset? StageDue(RequestView request)
    {
        var stages = request.Deadlines.IsDefault ? [] : request.Deadlines.Where(d => d.Kind == DeadlineKind.Stage).ToList();
        return stages.Count == 0 ? null : stages.Min(d => d.Due);
    }
}
