using System.Collections.Immutable;

namespace Dispatch.Volunteers;

/// <summary>A volunteer's profile, active claims and recent history, as plain C# the volunteer grain holds.</summary>
[GenerateSerializer, Alias("Dispatch.VolunteerRecord")]
public sealed class VolunteerRecord
{
    /// <summary>How many history entries are kept: the request grains keep the full audit trail.</summary>
    public const int HistoryKept = 200;

    [Id(0)] public VolunteerProfile? Profile { get; private set; }
    [Id(1)] public ImmutableArray<Guid> ActiveClaims { get; private set; } = [];
    [Id(2)] public int CompletedCount { get; private set; }
    [Id(3)] public DateTimeOffset RegisteredAt { get; private set; }
    [Id(4)] public ImmutableArray<VolunteerHistoryEntry> History { get; private set; } = [];

    /// <summary>Requests offered to the volunteer and not yet answered, as far as the requests have told.</summary>
    [Id(5)] public ImmutableArray<Guid> PendingOffers { get; private set; } = [];

    /// <summary>The latest requests whose claim ended as completed (at most <see cref="HistoryKept"/>): an overturned verification may reinstate them.</summary>
    [Id(6)] public ImmutableArray<Guid> Completions { get; private set; } = [];

    /// <summary>When the volunteer can help, as they set it on their profile.</summary>
    [Id(7)] public ImmutableArray<string> Availability { get; private set; } = [];

    /// <summary>The volunteer's work unit, as they set it on their profile.</summary>
    [Id(8)] public string? Unit { get; private set; }

    /// <summary>
    /// True once the volunteer set their skills themselves: a later registration (every sign-in
    /// makes one, with the skills the account was created with) keeps theirs.
    /// </summary>
    [Id(9)] public bool OwnSkills { get; private set; }

    public bool IsRegistered => Profile is not null;

    /// <summary>Registers or updates the profile. False when nothing changed.</summary>
    public bool Register(VolunteerProfile profile, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (OwnSkills && Profile is { } own)
        {
            profile = profile with { Skills = own.Skills };
        }

        if (Profile is { } existing && existing.Username == profile.Username && existing.CommunityId == profile.CommunityId
            && existing.DisplayName == profile.DisplayName && existing.Skills.SequenceEqual(profile.Skills))
        {
            return false;
        }

        if (Profile is null)
        {
            RegisteredAt = now;
            Record(now, VolunteerAction.Registered, null);
        }

        Profile = profile;
        return true;
    }

    /// <summary>The volunteer's own change of skills, availability and work unit. False when nothing changed, or not registered.</summary>
    public bool ChangeProfile(ProfileChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (Profile is not { } profile)
        {
            return false;
        }

        if (OwnSkills && profile.Skills.SequenceEqual(change.Skills) && Availability.SequenceEqual(change.Availability) && Unit == change.Unit)
        {
            return false;
        }

        Profile = profile with { Skills = change.Skills };
        Availability = change.Availability;
        Unit = change.Unit;
        OwnSkills = true;
        return true;
    }

    public bool Holds(Guid requestId) => ActiveClaims.Contains(requestId);

    public bool HasFreeSlot(int limit) => ActiveClaims.Length < limit;

    /// <summary>Takes a slot for the request. False when the limit is reached; true (and no change) when it is already held.</summary>
    public bool TryReserve(Guid requestId, int limit, DateTimeOffset now)
    {
        if (Holds(requestId))
        {
            return true;
        }

        if (!HasFreeSlot(limit))
        {
            return false;
        }

        ActiveClaims = ActiveClaims.Add(requestId);
        Record(now, VolunteerAction.Claimed, requestId);
        return true;
    }

    /// <summary>Frees the request's slot. False when it was not held (a repeated call).</summary>
    public bool End(Guid requestId, ClaimEnd reason, DateTimeOffset now)
    {
        if (!Holds(requestId))
        {
            return false;
        }

        ActiveClaims = ActiveClaims.Remove(requestId);
        if (reason == ClaimEnd.Completed)
        {
            CompletedCount++;
            var completions = Completions.Add(requestId);
            Completions = completions.Length > HistoryKept ? completions.RemoveAt(0) : completions;
        }

        Record(now, reason switch
        {
            ClaimEnd.Completed => VolunteerAction.Completed,
            ClaimEnd.Released => VolunteerAction.Released,
            _ => VolunteerAction.ClaimEnded,
        }, requestId);
        return true;
    }

    /// <summary>
    /// Takes the slot back for a request whose verification was overturned: the claim is active
    /// again whatever the limit (it was held before), and its completion no longer counts. Only a
    /// claim that ended as completed is reinstated, once: false for a repeated call, a slot still
    /// held, or a completion older than the last <see cref="HistoryKept"/>.
    /// </summary>
    public bool Reinstate(Guid requestId, DateTimeOffset now)
    {
        if (Holds(requestId) || !Completions.Contains(requestId))
        {
            return false;
        }

        ActiveClaims = ActiveClaims.Add(requestId);
        Completions = Completions.Remove(requestId);
        CompletedCount = Math.Max(0, CompletedCount - 1);

        Record(now, VolunteerAction.ClaimReinstated, requestId);
        return true;
    }

    /// <summary>Records an offer made to the volunteer, or how it ended: candidate ranking reads these.</summary>
    public void NoteOffer(Guid requestId, VolunteerAction action, DateTimeOffset now)
    {
        if (action is not (VolunteerAction.Offered or VolunteerAction.OfferAccepted or VolunteerAction.OfferDeclined
            or VolunteerAction.OfferLapsed or VolunteerAction.OfferWithdrawn))
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, "Not an offer outcome.");
        }

        PendingOffers = action == VolunteerAction.Offered
            ? PendingOffers.Remove(requestId).Add(requestId)
            : PendingOffers.Remove(requestId);
        Record(now, action, requestId);
    }

    /// <summary>Drops slots that the request grains no longer count as claims (left by a crash between two writes).</summary>
    public bool Forget(IEnumerable<Guid> stale)
    {
        var before = ActiveClaims.Length;
        ActiveClaims = ActiveClaims.RemoveRange(stale);
        return ActiveClaims.Length != before;
    }

    public VolunteerView? ToView(int limit) => Profile is not { } p
        ? null
        : new VolunteerView(p.Username, p.DisplayName, p.CommunityId, p.Skills, ActiveClaims, limit, CompletedCount, RegisteredAt, History, PendingOffers, Availability, Unit);

    private void Record(DateTimeOffset now, VolunteerAction action, Guid? requestId)
    {
        var history = History.Add(new VolunteerHistoryEntry(now, action, requestId));
        History = history.Length > HistoryKept ? history.RemoveRange(0, history.Length - HistoryKept) : history;
    }
}
