using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Places;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Places;

/// <summary>A place's live counts, summed over the communities at or below it.</summary>
/// <param name="Open">Requests waiting for a volunteer (status open).</param>
/// <param name="Overdue">Requests past a deadline, whatever their status.</param>
/// <param name="Volunteers">Volunteers registered with the communities.</param>
public sealed record PlaceCounts(int Open, int Overdue, int Volunteers)
{
    public static readonly PlaceCounts None = new(0, 0, 0);

    public PlaceCounts Plus(PlaceCounts other) => new(Open + other.Open, Overdue + other.Overdue, Volunteers + other.Volunteers);
}

/// <summary>One place of the tree, with its counts and the places below it (down to communities).</summary>
public sealed record PlaceNode(string Id, string Name, PlaceKind Kind, string? ParentId, PlaceCounts Counts, ImmutableArray<PlaceNode> Children);

public sealed record PlaceTreeResponse(ImmutableArray<PlaceNode> Items);

public sealed record RenamePlaceBody(string? Name);

/// <summary>The place tree of the desk's picker, and renaming a place.</summary>
public static class PlaceTreeApi
{
    /// <summary>The most places one tree walks; a deployment larger than this starts lower (a staff member's place).</summary>
    public const int MaxNodes = 5000;

    public static RouteGroupBuilder MapPlaceTreeApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/places").WithTags("Places");
        group.MapGet("/tree", GetTree).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The places in your scope as a tree down to the communities, each with its open, overdue and volunteer counts (staff: from their place; admins: every region).");
        group.MapPatch("/{id}", Rename).RequireAuthorization(AuthenticationSetup.AdminPolicy)
            .WithSummary("Rename a place (admin); its id, kind and path stay.");
        return api;
    }

    private static async Task<Ok<PlaceTreeResponse>> GetTree([AsParameters] CallContext call)
    {
        // Admins start at every region; staff at their own place (scope is their place and below).
        var roots = call.Caller.IsAdmin
            ? await call.Grains.GetGrain<IPlaceDirectoryGrain>(GrainKeys.PlaceDirectory).GetRegions()
            : [call.Caller.PlaceId];
        var budget = new Budget(MaxNodes);
        var nodes = await Task.WhenAll(roots.Select(id => Walk(id, call.Grains, budget)));
        return TypedResults.Ok(new PlaceTreeResponse([.. nodes.OfType<PlaceNode>()]));
    }

    /// <summary>The place read fresh (names change), its children walked at once, counts summed bottom-up.</summary>
    private static async Task<PlaceNode?> Walk(string id, IGrainFactory grains, Budget budget)
    {
        if (!budget.Take() || await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(id)).Get() is not { } place)
        {
            return null;
        }

        if (place.Kind == PlaceKind.Community)
        {
            var counters = await grains.GetGrain<ICommunityGrain>(GrainKeys.Community(place.Id)).GetCounters();
            return new PlaceNode(place.Id, place.Name, place.Kind, place.ParentId,
                new PlaceCounts(counters.Open, counters.Overdue, counters.RegisteredVolunteers), []);
        }

        if (place.Kind > PlaceKind.Community)
        {
            return new PlaceNode(place.Id, place.Name, place.Kind, place.ParentId, PlaceCounts.None, []);
        }

        var children = (await Task.WhenAll(place.Children.Select(c => Walk(c, grains, budget)))).OfType<PlaceNode>().ToImmutableArray();
        var counts = children.Aggregate(PlaceCounts.None, (sum, child) => sum.Plus(child.Counts));
        return new PlaceNode(place.Id, place.Name, place.Kind, place.ParentId, counts, children);
    }

    private static async Task<Results<Ok<PlaceInfo>, ValidationProblem, ProblemHttpResult>> Rename(
        string id, RenamePlaceBody body, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors().RequireText(body.Name, "name", PlaceRules.MaxName);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Failure is { } refused)
        {
            return Problems.From(refused);
        }

        var outcome = await call.Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(id)).Rename(body.Name!);
        call.Scope.Places.Forget(id);
        return outcome.Value is { } renamed ? TypedResults.Ok(renamed) : Problems.From(outcome.Failure!);
    }

    /// <summary>Places left to read, shared by the concurrent walks of one tree.</summary>
    private sealed class Budget(int places)
    {
        private int left = places;

        public bool Take() => Interlocked.Decrement(ref left) >= 0;
    }
}
