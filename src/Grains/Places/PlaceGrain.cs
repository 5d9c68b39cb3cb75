using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Places;

/// <summary>A node of the place hierarchy. Its path from the root is fixed at creation, so scope checks need no further calls.</summary>
public sealed class PlaceGrain(
    [PersistentState("place", StorageNames.Dispatch)] IPersistentState<PlaceGrain.State> state,
    TimeProvider time) : Grain, IPlaceGrain
{
    public async Task<Outcome<PlaceInfo>> Create(NewPlace place)
    {
        if (state.State.Place is { } existing)
        {
            if (!PlaceRules.IsRetryOf(existing, place))
            {
                return Failure.Conflict("alreadyExists", $"Place '{existing.Id}' already exists.");
            }

            // A retry may follow a first attempt that stored the place but failed to link it to
            // its parent: linking again is idempotent and completes the creation.
            await LinkToParent(existing);
            return existing;
        }

        if (PlaceRules.Validate(place) is { } invalid)
        {
            return invalid;
        }

        var path = ImmutableArray.Create(place.Id);
        if (place.ParentId is { } parentId)
        {
            var parentGrain = GrainFactory.GetGrain<IPlaceGrain>(GrainKeys.Place(parentId));
            if (await parentGrain.Get() is not { } parent)
            {
                return Failure.Invalid("parentId", $"Place '{parentId}' does not exist.");
            }

            if (PlaceRules.CheckParent(place.Kind, parent.Kind) is { } wrongLevel)
            {
                return wrongLevel;
            }

            path = parent.Path.Add(place.Id);
        }

        var created = new PlaceInfo(place.Id, place.Name.Trim(), place.Kind, place.ParentId, path, [], time.GetUtcNow());
        state.State.Place = created;
        await state.WriteOrReloadAsync(this);

        // Only once stored: a parent never lists a child that does not exist. If this fails the
        // caller sees an error, and a retry (the same place) finishes it.
        await LinkToParent(created);
        return created;
    }

    private async Task LinkToParent(PlaceInfo place)
    {
        if (place.ParentId is { } parentId)
        {
            await GrainFactory.GetGrain<IPlaceGrain>(GrainKeys.Place(parentId)).AddChild(place.Id);
        }
        else
        {
            // A region is listed by the directory instead (a region created before the directory
            // existed is listed once its creation is sent again: a retry links it).
            await GrainFactory.GetGrain<IPlaceDirectoryGrain>(GrainKeys.PlaceDirectory).AddRegion(place.Id);
        }
    }

    public async Task<Outcome<PlaceInfo>> Rename(string name)
    {
        if (state.State.Place is not { } place)
        {
            return Failure.NotFound("Place", GrainKeys.IdOf(this.GetPrimaryKeyString(), GrainKeys.PlacePrefix));
        }

        var errors = new ValidationErrors().RequireText(name, "name", PlaceRules.MaxName).ToDictionary();
        if (errors.Count > 0)
        {
            return Failure.Invalid("name", errors["name"][0]);
        }

        if (place.Name != name.Trim())
        {
            state.State.Place = place with { Name = name.Trim() };
            await state.WriteOrReloadAsync(this);
        }

        return state.State.Place;
    }

    public Task<PlaceInfo?> Get() => Task.FromResult(state.State.Place);

    public async Task AddChild(string childId)
    {
        if (state.State.Place is { } place && !place.Children.Contains(childId))
        {
            state.State.Place = place with { Children = place.Children.Add(childId) };
            await state.WriteOrReloadAsync(this);
        }
    }

    public async Task AddStaff(string username)
    {
        if (state.State.Place is not null && !state.State.Staff.Contains(username))
        {
            state.State.Staff = state.State.Staff.Add(username);
            await state.WriteOrReloadAsync(this);
        }
    }

    public async Task RemoveStaff(string username)
    {
        if (state.State.Staff.Contains(username))
        {
            state.State.Staff = state.State.Staff.Remove(username);
            await state.WriteOrReloadAsync(this);
        }
    }

    public Task<ImmutableArray<string>> GetStaff() => Task.FromResult(state.State.Staff);

    public async Task AddAccount(string username)
    {
        if (state.State.Place is not null && !state.State.Accounts.Contains(username))
        {
            state.State.Accounts = state.State.Accounts.Add(username);
            await state.WriteOrReloadAsync(this);
        }
    }

    public async Task RemoveAccount(string username)
    {
        if (state.State.Accounts.Contains(username))
        {
            state.State.Accounts = state.State.Accounts.Remove(username);
            await state.WriteOrReloadAsync(this);
        }
    }

    public Task<ImmutableArray<string>> GetAccounts() => Task.FromResult(state.State.Accounts);

    public async Task RecordSecurityEvent(Accounts.SecurityEvent securityEvent)
    {
        // The bootstrap admin's place ('*') is no place: its events are in the log only.
        if (state.State.Place is null)
        {
            return;
        }

        var events = state.State.SecurityEvents.Add(securityEvent);
        state.State.SecurityEvents = events.Length > PlaceLimits.SecurityEventsKept
            ? events.RemoveRange(0, events.Length - PlaceLimits.SecurityEventsKept)
            : events;
        await state.WriteOrReloadAsync(this);
    }

    public Task<ImmutableArray<Accounts.SecurityEvent>> GetSecurityEvents() => Task.FromResult(state.State.SecurityEvents);

    [GenerateSerializer, Alias("Dispatch.PlaceGrain.State")]
    public sealed class State
    {
        [Id(0)] public PlaceInfo? Place { get; set; }
        [Id(1)] public ImmutableArray<string> Staff { get; set; } = [];
        [Id(2)] public ImmutableArray<Accounts.SecurityEvent> SecurityEvents { get; set; } = [];
        [Id(3)] public ImmutableArray<string> Accounts { get; set; } = [];
    }
}
