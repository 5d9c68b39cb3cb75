using System.Collections.Immutable;
using System.Globalization;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Organisations;
using Dispatch.Places;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Applications;

/// <summary>A place as the public directory shows it: its name and kind, nothing about its people or work.</summary>
public sealed record DirectoryPlace(string Id, string Name, PlaceKind Kind);

/// <summary>
/// One step of the directory: the place asked for (null at the top) with the names above it, and
/// the places one level below it (regions at the top; none below a community).
/// </summary>
public sealed record PlaceDirectoryResponse(DirectoryPlace? Place, ImmutableArray<string> Ladder, ImmutableArray<DirectoryPlace> Items);

/// <summary>An organisation registered with a community, by name.</summary>
public sealed record DirectoryUnit(string Id, string Name);

public sealed record DirectoryUnitsResponse(ImmutableArray<DirectoryUnit> Items);

/// <summary>
/// The public place directory behind the report-in page's pickers: anyone may walk the place tree
/// by name down to the communities, and read the names of the units registered with a community.
/// Only names, ids and kinds leave here (no counts, staff, people or requests); each read is limited
/// per address (<see cref="DispatchRateLimits.DirectoryReadsPerAddress"/>).
/// </summary>
public static class PlaceDirectoryApi
{
    /// <summary>The most places one answer lists: a town has tens of communities, never this many.</summary>
    public const int MaxItems = 500;

    private static readonly StringComparer ByName = StringComparer.Create(CultureInfo.GetCultureInfo("zh-CN"), ignoreCase: true);

    /// <summary>Mapped beside the <c>/api</c> group, as reporting in is: its default policy admits members only.</summary>
    public static WebApplication MapPlaceDirectoryApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/places/directory").WithTags("Applications")
            .AllowAnonymous().RequireRateLimiting(DispatchRateLimits.DirectoryReadsPerAddress);
        group.MapGet("/", Browse)
            .WithSummary("The public place directory (anonymous): a place's name and the names above it, and the places one level below it down to the communities; the regions without 'parent'.");
        group.MapGet("/{id}/units", Units)
            .WithSummary("The names of the organisations registered with a community (anonymous): the work units a person reporting in picks from.");
        return app;
    }

    private static async Task<Results<Ok<PlaceDirectoryResponse>, ValidationProblem, ProblemHttpResult>> Browse(
        string? parent, [AsParameters] CallContext call)
    {
        if (string.IsNullOrWhiteSpace(parent))
        {
            var regions = await call.Grains.GetGrain<IPlaceDirectoryGrain>(GrainKeys.PlaceDirectory).GetRegions();
            return TypedResults.Ok(new PlaceDirectoryResponse(null, [], await Listed(regions, call.Grains)));
        }

        var id = parent.Trim();
        if (!Identifiers.IsValidPlaceId(id))
        {
            return Problems.Invalid("parent", $"'{id}' is not a place id.");
        }

        // Read fresh, not from the host's cache: names change and children are added over time.
        if (await call.Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(id)).Get() is not { } place || place.Kind > PlaceKind.Community)
        {
            return Problems.NotFound("Place", id);
        }

        var above = await Task.WhenAll(place.Path.Where(p => p != place.Id).Select(p => call.Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(p)).Get()));
        var ladder = above.OfType<PlaceInfo>().Select(p => p.Name).Append(place.Name).ToImmutableArray();
        var items = place.Kind == PlaceKind.Community ? [] : await Listed(place.Children, call.Grains);
        return TypedResults.Ok(new PlaceDirectoryResponse(new DirectoryPlace(place.Id, place.Name, place.Kind), ladder, items));
    }

    private static async Task<Results<Ok<DirectoryUnitsResponse>, ValidationProblem, ProblemHttpResult>> Units(
        string id, [AsParameters] CallContext call)
    {
        if (await call.Scope.Places.Find(id) is not { Kind: PlaceKind.Community })
        {
            return Problems.NotFound("Community", id);
        }

        var ids = await call.Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(id)).GetOrganisations();
        var organisations = await Task.WhenAll(ids.Take(MaxItems).Select(o => call.Grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(o)).Get()));
        return TypedResults.Ok(new DirectoryUnitsResponse([.. organisations
            .OfType<OrganisationView>()
            .Select(o => new DirectoryUnit(o.Id, o.Name))
            .OrderBy(o => o.Name, ByName)]));
    }

    /// <summary>The places by name, grids left out (nobody reports in to a grid).</summary>
    private static async Task<ImmutableArray<DirectoryPlace>> Listed(IEnumerable<string> ids, IGrainFactory grains)
    {
        var places = await Task.WhenAll(ids.Take(MaxItems).Select(id => grains.GetGrain<IPlaceGrain>(GrainKeys.Place(id)).Get()));
        return [.. places
            .OfType<PlaceInfo>()
            .Where(p => p.Kind <= PlaceKind.Community)
            .Select(p => new DirectoryPlace(p.Id, p.Name, p.Kind))
            .OrderBy(p => p.Name, ByName)];
    }
}
