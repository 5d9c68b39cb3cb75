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
        CreateOrganisationBody body, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places)
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
            if (await places.Find(communityId) is { Kind: PlaceKind.Community } community)
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

        if (found.FirstOrDefault(c => !PlaceDirectory.InScope(user, c)) is { } outside)
        {
            return Problems.Forbidden($"Community '{outside.Id}' is outside your scope.");
        }

        var outcome = await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(spec.Id)).Create(spec, user.Actor());
        return outcome.Value is { } created
            ? TypedResults.Created($"/api/organisations/{Uri.EscapeDataString(created.Id)}", created)
            : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> GetOrganisation(
        string id, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places)
    {
        if (await Find(id, grains) is not { } organisation)
        {
            return Problems.NotFound("Organisation", id);
        }

        return await MayRead(user, organisation, places)
            ? TypedResults.Ok(organisation)
            : Problems.Forbidden($"Organisation '{id}' is outside your scope.");
    }

    private static async Task<Results<Ok<OrganisationView>, ValidationProblem, ProblemHttpResult>> AddMember(
        string id, AddMemberBody body, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places)
    {
        var username = body.Username is null ? null : Identifiers.NormalizeUsername(body.Username);
        if (username is null || !Identifiers.IsValidUsername(username))
        {
            return Problems.Invalid("username", "'username' must be the username of a volunteer.");
        }

        if (await Find(id, grains) is null)
        {
            return Problems.NotFound("Organisation", id);
        }

        if (await grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username)).Get() is not { } volunteer)
        {
            return Problems.Invalid("username", $"'{username}' is not a registered volunteer.");
        }

        if (!await places.InScope(user, volunteer.CommunityId))
        {
            return Problems.Forbidden($"Volunteer '{username}' is outside your scope.");
        }

        // The grain checks again that the volunteer belongs to one of its communities.
        var outcome = await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id)).AddMember(username, user.Actor());
        return outcome.Value is { } changed ? TypedResults.Ok(changed) : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> RemoveMember(
        string id, string username, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places)
    {
        username = Identifiers.NormalizeUsername(username);
        var self = username == user.Username();

        // Volunteers act on themselves only, and learn nothing about which other usernames exist.
        if (!self && user.Role() == AccountRole.Volunteer)
        {
            return Problems.Forbidden("Volunteers may only take themselves out of an organisation.");
        }

        if (await Find(id, grains) is not { } organisation)
        {
            return Problems.NotFound("Organisation", id);
        }

        if (self)
        {
            if (!await MayRead(user, organisation, places))
            {
                return Problems.Forbidden($"Organisation '{id}' is outside your scope.");
            }
        }
        else
        {
            var volunteer = Identifiers.IsValidUsername(username)
                ? await grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username)).Get()
                : null;
            if (volunteer is null)
            {
                return Problems.NotFound("Volunteer", username);
            }

            if (!await places.InScope(user, volunteer.CommunityId))
            {
                return Problems.Forbidden($"Volunteer '{username}' is outside your scope.");
            }
        }

        var outcome = await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id)).RemoveMember(username, user.Actor());
        return outcome.Value is { } changed ? TypedResults.Ok(changed) : Problems.From(outcome.Failure!);
    }

    /// <summary>The organisation, or null when it does not exist (an id no organisation can have included).</summary>
    private static async Task<OrganisationView?> Find(string id, IGrainFactory grains) =>
        Identifiers.IsValidPlaceId(id) ? await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id)).Get() : null;

    /// <summary>
    /// Admins; staff whose scope holds at least one of its communities; volunteers who are members
    /// or are registered with one of its communities.
    /// </summary>
    private static async ValueTask<bool> MayRead(ClaimsPrincipal user, OrganisationView organisation, PlaceDirectory places)
    {
        switch (user.Role())
        {
            case AccountRole.Admin:
                return true;
            case AccountRole.Staff:
                foreach (var communityId in organisation.CommunityIds)
                {
                    if (await places.InScope(user, communityId))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return organisation.HasMember(user.Username()) || organisation.ReportsTo(user.PlaceId());
        }
    }
}
