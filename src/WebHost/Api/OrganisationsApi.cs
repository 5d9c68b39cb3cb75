using System.Security.Claims;
using Dispatch.Common;
using Dispatch.Organisations;
using Dispatch.Places;
using Dispatch.Volunteers;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Api;

public sealed record CreateOrganisationBody(string? Id, string? Name, string[]? CommunityIds);

public sealed record AddMemberBody(string? Username);

/// <summary>
/// Organisations (双报到单位): created by admins or by staff whose scope holds all of their
/// communities; members are volunteers of those communities, linked by staff in scope of the
/// volunteer's community.
/// </summary>
public static class OrganisationsApi
{
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
        return api;
    }

    private static async Task<Results<Created<OrganisationView>, ValidationProblem, ProblemHttpResult>> CreateOrganisation(
        CreateOrganisationBody body, ClaimsPrincipal user, IGrainFactory grains, ScopeGuard scope)
    {
        var spec = new NewOrganisation(
            body.Id ?? "",
            body.Name ?? "",
            body.CommunityIds is null ? [] : [.. body.CommunityIds.Select(c => c ?? "")]);
        var errors = OrganisationRules.Check(spec);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = new List<PlaceInfo>(spec.CommunityIds.Length);
        var notCommunities = new List<string>();
        foreach (var communityId in spec.CommunityIds)
        {
            if (await scope.Places.Find(communityId) is { Kind: PlaceKind.Community } community)
            {
                found.Add(community);
            }
            else
            {
                notCommunities.Add($"'{communityId}'");
            }
        }

        if (notCommunities.Count > 0)
        {
            return Problems.Invalid("communityIds", $"Not a community: {string.Join(", ", notCommunities)}.");
        }

        var caller = user.Caller();
        if (found.FirstOrDefault(c => !Scope.Covers(caller, c)) is { } outside)
        {
            return Problems.From(Scope.Outside("Community", outside.Id));
        }

        var outcome = await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(spec.Id)).Create(spec, user.Actor());
        return outcome.Value is { } created
            ? TypedResults.Created($"/api/organisations/{Uri.EscapeDataString(created.Id)}", created)
            : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> GetOrganisation(
        string id, ClaimsPrincipal user, IGrainFactory grains, ScopeGuard scope)
    {
        var found = await scope.Organisation(user.Caller(), id);
        return found.Value is { } organisation ? TypedResults.Ok(organisation) : Problems.From(found.Failure!);
    }

    private static async Task<Results<Ok<OrganisationView>, ValidationProblem, ProblemHttpResult>> AddMember(
        string id, AddMemberBody body, ClaimsPrincipal user, IGrainFactory grains, ScopeGuard scope)
    {
        var username = body.Username is null ? null : Identifiers.NormalizeUsername(body.Username);
        if (username is null || !Identifiers.IsValidUsername(username))
        {
            return Problems.Invalid("username", "'username' must be the username of a volunteer.");
        }

        if (await scope.FindOrganisation(id) is null)
        {
            return Problems.NotFound("Organisation", id);
        }

        // An unknown member is bad input here, not a missing resource: look before asking the scope.
        if (await grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username)).Get() is null)
        {
            return Problems.Invalid("username", $"'{username}' is not a registered volunteer.");
        }

        if (await scope.Volunteer(user.Caller(), username, allowSelf: false) is { Failure: { } refused })
        {
            return Problems.From(refused);
        }

        // The grain checks again that the volunteer belongs to one of its communities.
        var outcome = await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id)).AddMember(username, user.Actor());
        return outcome.Value is { } changed ? TypedResults.Ok(changed) : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> RemoveMember(
        string id, string username, ClaimsPrincipal user, IGrainFactory grains, ScopeGuard scope)
    {
        username = Identifiers.NormalizeUsername(username);
        var self = username == user.Username();

        // Volunteers act on themselves only, and learn nothing about which other usernames exist.
        if (!self && user.Role() == AccountRole.Volunteer)
        {
            return Problems.Forbidden("Volunteers may only take themselves out of an organisation.");
        }

        // Members take themselves out of an organisation they may see; staff act on volunteers in their scope.
        var caller = user.Caller();
        if (await scope.FindOrganisation(id) is null)
        {
            return Problems.NotFound("Organisation", id);
        }

        var refused = self
            ? (await scope.Organisation(caller, id)).Failure
            : (await scope.Volunteer(caller, username, allowSelf: false)).Failure;
        if (refused is not null)
        {
            return Problems.From(refused);
        }

        var outcome = await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id)).RemoveMember(username, user.Actor());
        return outcome.Value is { } changed ? TypedResults.Ok(changed) : Problems.From(outcome.Failure!);
    }
}
