using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Points;
using Dispatch.Schemes;

namespace Dispatch.Activities;

/// <summary>Attendance earns points under the points scheme in force where and when the activity took place.</summary>
public sealed partial class ActivityGrain
{
    /// <summary>The scheme's <c>activity.attend</c> rule on the activity's day in its community; null when no scheme pays for attendance.</summary>
    private async Task<EffectiveRule?> AttendanceRule(ActivityEvent activity) =>
        await GrainFactory.GetGrain<IPlaceGrain>(GrainKeys.Place(activity.CommunityId)).Get() is { } community
            ? (await GrainFactory.PointsRulesAt(community, activity.StartsAt))
                .FirstOrDefault(r => r.Rule == PointsRuleNames.ActivityAttendance && r.Points > 0)
            : null;

    /// <summary>
    /// Posts once per activity and volunteer (the key <c>activity:{id}</c> in their ledger). A cap
    /// reached or a volunteer no longer on record is an answer, not a failure: nothing is retried.
    /// </summary>
    private async Task PostAttendancePoints(ActivityEvent activity, string volunteer, EffectiveRule rule)
    {
        var posted = await GrainFactory.GetGrain<ILedgerGrain>(GrainKeys.Ledger(volunteer)).Post(new PointsPosting(
            $"activity:{activity.Id}", activity.CommunityId, rule.Points, PostingKind.Earning, activity.Id.ToString(),
            $"activity \"{activity.Title}\" attended", ActivityRules.SystemActor, Under: PostingRule.Of(rule), EarnedAt: activity.StartsAt,
            Subject: new PostingSubject(PostingTopic.Activity, activity.Title)));
        if (posted.Failure is { } failure)
        {
            LogPointsNotPosted(activity.Id, volunteer, failure.Code);
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Activity {ActivityId}: no attendance points for {Volunteer} ({Reason})")]
    private partial void LogPointsNotPosted(Guid activityId, string volunteer, string reason);
}
