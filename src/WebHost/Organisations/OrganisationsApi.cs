using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Organisations;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.Volunteers;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Organisations;

/// <param name="Kind">unit (the default) or department (a department that suggestions are handed to).</param>
public sealed record CreateOrganisationBody(string? Id, string? Name, string[]? CommunityIds, OrganisationKind? Kind = null);

public sealed record AddMemberBody(string? Username);

public sealed record AddCommunityBody(string? CommunityId);

/// <summary>A page of the organisations that report in to the communities at or below a place.</summary>
public sealed record OrganisationPage(ImmutableArray<OrganisationView> Items, int Total, int Page, int PageSize);

/// <summary>A claim a member holds now on behalf of the organisation.</summary>
public sealed record OrganisationClaim(Guid RequestId, string Title, string CommunityId, RequestStatus Status, string Volunteer, int Places, DateTimeOffset At);

/// <summary>
/// Organisations (双报到单位): created by admins or by staff whose scope holds all of their
/// communities; members are volunteers of those communities, linked by staff in scope of the
/// volunteer's community.
/// </summary>
public static class OrganisationsApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 200;
    public const int MaxQuery = 100;

    public static RouteGroupBuilder MapOrganisationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organisations").WithTags("Organisations");
        group.MapPost("/", CreateOrganisation).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Register an organisation with one or more communities, all inside your scope (staff).");
        group.MapGet("/{id}", GetOrganisation)
            .WithSummary("An organisation: staff whose scope holds one of its communities, its members, and volunteers of its communities.");
        group.MapPost("/{id}/members", AddMember).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Link a volunteer of one of the organisation's communities as a member (staff in scope of the volunteer's community).");
        group.MapDelete("/{id}/members/{username}", RemoveMember)
            .WithSummary("Unlink a member: staff in scope of the volunteer's community, or the member themself.");
        group.MapPost("/{id}/communities", AddCommunity).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The organisation reports in to one more community (staff who see the organisation, for a community in their scope).");
        group.MapDelete("/{id}/communities/{communityId}", RemoveCommunity).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The organisation no longer reports in to a community: not its last one, nor one its members are registered with (staff who see the organisation, for a community in their scope).");
        group.MapGet("/{id}/claims", GetClaims).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The claims the organisation's members hold now on its behalf, oldest first (staff who see the organisation).");
        api.MapGet("/places/{id}/organisations", List).WithTags("Organisations").RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The organisations that report in to the communities at or below a place (staff in scope), by name; q searches the name and id; paged ({items, total, page, pageSize}).");
        return api;
    }

    private static async Task<Results<Created<OrganisationView>, ValidationProblem, ProblemHttpResult>> CreateOrganisation(
        CreateOrganisationBody body, [AsParameters] CallContext call)
    {
        var spec = new NewOrganisation(
            body.Id ?? "",
            body.Name ?? "",
            body.CommunityIds is null ? [] : [.. body.CommunityIds.Select(c => c ?? "")],
            body.Kind ?? OrganisationKind.Unit);
        var errors = OrganisationRules.Check(spec);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if ((await call.Scope.Communities(call.Caller, spec.CommunityIds)).Failure is { } refused)
        {
            return Problems.From(refused);
        }

        var outcome = await call.Grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(spec.Id)).Create(spec, call.Caller.Actor);
        return outcome.Value is { } created
            ? TypedResults.Created($"/api/organisations/{Uri.EscapeDataString(created.Id)}", created)
            : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> GetOrganisation(
        string id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Organisation(call.Caller, id);
        return found.Value is { } organisation ? TypedResults.Ok(organisation) : Problems.From(found.Failure!);
    }

    private static async Task<Results<Ok<OrganisationView>, ValidationProblem, ProblemHttpResult>> AddMember(
        string id, AddMemberBody body, [AsParameters] CallContext call)
    {
        var username = body.Username is null ? null : Identifiers.NormalizeUsername(body.Username);
        if (username is null || !Identifiers.IsValidUsername(username))
        {
            return Problems.Invalid("username", "'username' must be the username of a volunteer.");
        }

        if (await call.Scope.FindOrganisation(id) is null)
        {
            return Problems.NotFound("Organisation", id);
        }

        // An unknown member is bad input here, not a missing resource: look before asking the call.Scope.
        if (await call.Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username)).Get() is null)
        {
            return Problems.Invalid("username", $"'{username}' is not a registered volunteer.");
        }

        if (await call.Scope.Volunteer(call.Caller, username, allowSelf: false) is { Failure: { } refused })
        {
            return Problems.From(refused);
        }

        // The grain checks again that the volunteer belongs to one of its communities.
        var outcome = await call.Grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id)).AddMember(username, call.Caller.Actor);
        return outcome.Value is { } changed ? TypedResults.Ok(changed) : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> RemoveMember(
        string id, string username, [AsParameters] CallContext call)
    {
        username = Identifiers.NormalizeUsername(username);
        var found = await call.Scope.MemberToRemove(call.Caller, id, username);
        if (found.Failure is { } refused)
        {
            return Problems.From(refused);
        }

        var outcome = await call.Grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id)).RemoveMember(username, call.Caller.Actor);
        return outcome.Value is { } changed ? TypedResults.Ok(changed) : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<OrganisationPage>, ValidationProblem, ProblemHttpResult>> List(
        string id, string? q, string? page, string? pageSize, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors()
            .Require(q is null || q.Length <= MaxQuery, "q", $"'q' must be at most {MaxQuery} characters.");
        var paging = Query.Paging(page, pageSize, DefaultPageSize, MaxPageSize, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        // Each community knows the organisations that report in to it; their grains know the rest.
        var communities = await call.Scope.Places.CommunitiesUnder(place);
        var ids = (await Task.WhenAll(communities.Select(c => call.Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(c)).GetOrganisations())))
            .SelectMany(o => o)
            .Distinct(StringComparer.Ordinal);
        var organisations = (await Task.WhenAll(ids.Select(o => call.Grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(o)).Get())))
            .OfType<OrganisationView>();

        var text = q?.Trim();
        var matching = organisations
            .Where(o => string.IsNullOrEmpty(text)
                || o.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
                || o.Id.Contains(text, StringComparison.OrdinalIgnoreCase))
            .OrderBy(o => o.Name, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("zh-CN"), ignoreCase: true))
            .ThenBy(o => o.Id, StringComparer.Ordinal)
            .ToList();
        var shown = paging.Of(matching).ToImmutableArray();
        return TypedResults.Ok(new OrganisationPage(shown, matching.Count, paging.Number, paging.Size));
    }

    private static async Task<Results<Ok<OrganisationView>, ValidationProblem, ProblemHttpResult>> AddCommunity(
        string id, AddCommunityBody body, [AsParameters] CallContext call)
    {
        if (body.CommunityId is not { } communityId || !Identifiers.IsValidPlaceId(communityId))
        {
            return Problems.Invalid("communityId", "'communityId' must be the id of a community.");
        }

        if (await call.Scope.Places.Find(communityId) is not { Kind: PlaceKind.Community } community)
        {
            return Problems.Invalid("communityId", $"Not a community: '{communityId}'.");
        }

        var (organisation, refused) = await Managed(id, community, call);
        return refused ?? Result(await organisation!.AddCommunity(community.Id, call.Caller.Actor));
    }

    private static async Task<Results<Ok<OrganisationView>, ValidationProblem, ProblemHttpResult>> RemoveCommunity(
        string id, string communityId, [AsParameters] CallContext call)
    {
        if (await call.Scope.Places.Find(communityId) is not { Kind: PlaceKind.Community } community)
        {
            return Problems.NotFound("Community", communityId);
        }

        var (organisation, refused) = await Managed(id, community, call);
        return refused ?? Result(await organisation!.RemoveCommunity(community.Id, call.Caller.Actor));
    }

    private static async Task<Results<Ok<ImmutableArray<OrganisationClaim>>, ProblemHttpResult>> GetClaims(
        string id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Organisation(call.Caller, id);
        if (found.Value is not { } organisation)
        {
            return Problems.From(found.Failure!);
        }

        // Each member's volunteer grain knows the claims they hold; each request, on whose behalf.
        var members = (await Task.WhenAll(organisation.Members.Select(m => call.Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(m)).Get())))
            .OfType<VolunteerView>();
        var requestIds = members.SelectMany(m => m.ActiveClaims).Distinct();
        var requests = (await Task.WhenAll(requestIds.Select(r => call.Grains.GetGrain<IRequestGrain>(r).Get()))).OfType<RequestView>();
        var claims = requests
            .SelectMany(r => r.Claims
                .Where(c => string.Equals(c.OrganisationId, organisation.Id, StringComparison.Ordinal))
                .Select(c => new OrganisationClaim(r.Id, r.Title, r.CommunityId, r.Status, c.Volunteer, c.PlaceCount, c.At)))
            .OrderBy(c => c.At)
            .ToImmutableArray();
        return TypedResults.Ok(claims);
    }

    /// <summary>The organisation's grain, if the caller sees the organisation and has <paramref name="community"/> in scope.</summary>
    private static async Task<(IOrganisationGrain? Organisation, ProblemHttpResult? Refused)> Managed(
        string id, PlaceInfo community, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Organisation(call.Caller, id);
        if (found.Failure is { } hidden)
        {
            return (null, Problems.From(hidden));
        }

        return (await call.Scope.Community(call.Caller, community.Id)).Failure is { } outside
            ? (null, Problems.From(outside))
            : (call.Grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id)), null);
    }

    private static Results<Ok<OrganisationView>, ValidationProblem, ProblemHttpResult> Result(Outcome<OrganisationView> outcome) =>
        outcome switch
        {
            { Value: { } organisation } => TypedResults.Ok(organisation),
            { Failure: { Kind: FailureKind.Invalid, Field: { } field } failure } => Problems.Invalid(field, failure.Detail),
            _ => Problems.From(outcome.Failure!),
        };
}
