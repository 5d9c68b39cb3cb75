using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Places;

/// <summary>One node of the place hierarchy, keyed by <see cref="GrainKeys.Place"/>.</summary>
public interface IPlaceGrain : IGrainWithStringKey
{
    /// <summary>Creates the place under an existing parent (a region has none).</summary>
    Task<Outcome<PlaceInfo>> Create(NewPlace place);

    /// <summary>The place, or null when it was never created.</summary>
    Task<PlaceInfo?> Get();

    /// <summary>Gives the place a new name (its id, kind and path stay); null when it was never created.</summary>
    Task<Outcome<PlaceInfo>> Rename(string name);

    /// <summary>Called by a new child on its parent; idempotent.</summary>
    Task AddChild(string childId);

    /// <summary>Records a staff account placed here (escalations to this place add them as supervisors); idempotent.</summary>
    Task AddStaff(string username);

    /// <summary>Takes a staff member off the place's list (moved elsewhere, or no longer staff); idempotent.</summary>
    Task RemoveStaff(string username);

    /// <summary>The staff accounts placed here.</summary>
    Task<ImmutableArray<string>> GetStaff();

    /// <summary>
    /// Records a staff or admin account placed here, kept while it is disabled (the desk's accounts
    /// page lists it to enable again) and dropped when it moves away; idempotent.
    /// </summary>
    Task AddAccount(string username);

    /// <summary>Takes an account off the place's accounts (moved elsewhere, or now a volunteer); idempotent.</summary>
    Task RemoveAccount(string username);

    /// <summary>The staff and admin accounts placed here, disabled ones included.</summary>
    Task<ImmutableArray<string>> GetAccounts();

    /// <summary>Tells this place's staff what happened to an account placed here (the latest <see cref="PlaceLimits.SecurityEventsKept"/> are kept).</summary>
    Task RecordSecurityEvent(Accounts.SecurityEvent securityEvent);

    /// <summary>The security events of accounts placed here, oldest first.</summary>
    Task<ImmutableArray<Accounts.SecurityEvent>> GetSecurityEvents();
}
