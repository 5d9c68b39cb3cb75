using Dispatch.Common;
using Dispatch.Volunteers;

namespace Dispatch.Requests;

/// <summary>
/// The resident's answers through their tracking code (群众评议): once the work is completed or
/// verified they say whether it is done, then rate it. Each answer is given once (the same answer
/// again is a retry and changes nothing). A "not done" or an "unsatisfied" sends the request back
/// to staff: completed, waiting for a verification again. A verified request loses its
/// verification, its points are reversed and its claims stand again, as when staff overturn one;
/// staff then verify it again (crediting anew) or send the work back.
/// </summary>
public sealed partial class ServiceRequest
{
    /// <summary>Who the resident is in the history: never their name or contact.</summary>
    public const string ResidentActor = "resident";

    /// <summary>What the resident answered, apart from staff's <see cref="Verification"/>.</summary>
    [Id(70)] public ResidentFeedback? ResidentFeedback { get; private set; }

    /// <summary>True while the resident may answer "is it done?": the work is reported done and they have not answered yet.</summary>
    public bool AwaitsResidentConfirmation =>
        ResidentFeedback is null && Status is RequestStatus.Completed or RequestStatus.Verified;

    /// <summary>The resident's one-tap answer to "is it done?".</summary>
    public Failure? ConfirmByResident(bool done, DateTimeOffset now)
    {
        if (ResidentFeedback is { } answered)
        {
            return answered.Done == done
                ? null
                : Failure.Conflict("alreadyConfirmed", "You already answered whether this is done.");
        }

        if (Status is not (RequestStatus.Completed or RequestStatus.Verified))
        {
            return Failure.Conflict("notCompleted", "This request is not reported done yet: there is nothing to confirm.");
        }

        ResidentFeedback = new ResidentFeedback(done, now);
        Record(ResidentActor, done ? RequestAction.ResidentConfirmed : RequestAction.ResidentNotDone, Status, Status, note: null, now);
        if (!done)
        {
            Reopen("the resident says it is not done", now);
        }

        return null;
    }

    /// <summary>The resident's rating, after they answered "is it done?"; an unsatisfied rating sends a request they called done back to staff.</summary>
    public Failure? RateByResident(ResidentRating rating, string? comment, DateTimeOffset now)
    {
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (!Enum.IsDefined(rating))
        {
            return new Failure(FailureKind.Invalid, "invalid", "'rating' must be satisfied, basicallySatisfied or unsatisfied.", "rating");
        }

        if (comment is { Length: > ResidentFeedbackLimits.MaxComment })
        {
            return new Failure(FailureKind.Invalid, "invalid", $"'comment' must be at most {ResidentFeedbackLimits.MaxComment} characters.", "comment");
        }

        if (ResidentFeedback is not { } answered)
        {
            return Failure.Conflict("notConfirmed", "Say whether the work is done before rating it.");
        }

        if (answered.Rating is { } given)
        {
            return given == rating && answered.Comment == comment
                ? null
                : Failure.Conflict("alreadyRated", "You already rated this request.");
        }

        var wasDisputed = answered.Disputed;
        ResidentFeedback = answered with { Rating = rating, Comment = comment, RatedAt = now };
        Record(ResidentActor, RequestAction.ResidentRated, Status, Status, RatingInWords(rating, comment), now);
        if (!wasDisputed && rating == ResidentRating.Unsatisfied)
        {
            Reopen("the resident is unsatisfied", now);
        }

        return null;
    }

    /// <summary>The history's note of a rating: the rating in words, then the resident's comment.</summary>
    public static string RatingInWords(ResidentRating rating, string? comment)
    {
        var words = rating switch
        {
            ResidentRating.Satisfied => "satisfied",
            ResidentRating.BasicallySatisfied => "basically satisfied",
            _ => "unsatisfied",
        };
        return comment is null ? words : $"{words}: {comment}";
    }

    /// <summary>Back to staff: completed, waiting for a verification; a standing verification is withdrawn.</summary>
    private void Reopen(string note, DateTimeOffset now)
    {
        var from = Status;
        if (from != RequestStatus.Verified)
        {
            // Still waiting for staff's verification: the entry (and its notice) is what tells them.
            Record(ResidentActor, RequestAction.ResidentReopened, from, from, note, now);
            return;
        }

        Verification = null;
        Status = RequestStatus.Completed;
        Record(ResidentActor, RequestAction.ResidentReopened, from, Status, note, now);
        OnStatusChanged(from, now);
        ReversePoints(ResidentActor);
        foreach (var claim in Claims)
        {
            Notify(claim.Volunteer, VolunteerAction.ClaimReinstated);
        }
    }
}
