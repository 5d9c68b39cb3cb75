using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Intake;

/// <summary>The keys of the residents' grains (prefixed, see <see cref="GrainKeys"/>).</summary>
public static class IntakeKeys
{
    public const string IntakePrefix = "intake:";
    public const string CommunityIntakePrefix = "intakes:";
    public const string TrackingPrefix = "track:";

    public static string Intake(string intakeId) => IntakePrefix + intakeId;
    public static string CommunityIntake(string communityId) => CommunityIntakePrefix + communityId;
    public static string Tracking(string code) => TrackingPrefix + code;
}

/// <summary>One resident's filing, keyed by <see cref="IntakeKeys.Intake"/> with its id (32 hex digits).</summary>
public interface IIntakeGrain : IGrainWithStringKey
{
    /// <summary>Stores the item (then lists it with its community); the same filing again answers it unchanged.</summary>
    Task<Outcome<IntakeItem>> Submit(NewIntake intake);

    Task<IntakeItem?> Get();

    /// <summary>Staff accepted the item as the request <paramref name="requestId"/> (already created).</summary>
    Task<Outcome<IntakeItem>> Accept(Actor actor, Guid requestId);

    /// <summary>Staff merged the item into the existing request <paramref name="requestId"/>.</summary>
    Task<Outcome<IntakeItem>> Merge(Actor actor, Guid requestId);

    Task<Outcome<IntakeItem>> Decline(Actor actor, string reason);

    Task<ImmutableArray<IntakeEvent>> GetTrail();
}

/// <summary>The intake of one community, keyed by <see cref="IntakeKeys.CommunityIntake"/>.</summary>
public interface ICommunityIntakeGrain : IGrainWithStringKey
{
    /// <summary>Adds or updates an item's line; idempotent.</summary>
    Task Record(IntakeLine line);

    /// <summary>The lines, newest first, optionally of one status only.</summary>
    Task<ImmutableArray<IntakeLine>> List(IntakeStatus? status);
}

/// <summary>
/// A tracking code, keyed by <see cref="IntakeKeys.Tracking"/> with the code itself: what it leads
/// to. The code is the resident's only credential, so the key is never listed anywhere.
/// </summary>
public interface ITrackingGrain : IGrainWithStringKey
{
    /// <summary>Links the code once; linking it again to the same target is a retry, to another a conflict.</summary>
    Task<Outcome<TrackingLink>> Link(TrackingLink link);

    Task<TrackingLink?> Get();
}
