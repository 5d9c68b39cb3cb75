using Dispatch.Common;
using Dispatch.Organisations;
using Dispatch.Places;
using Dispatch.Volunteers;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Organisations;

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
        CreateOrganisationBody body, [AsParameters] CallContext call)
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
        var self = username == call.Caller.Username;

        // Volunteers act on themselves only, and learn nothing about which other usernames exist.
        if (!self && call.Caller.Role == AccountRole.Volunteer)
        {
            return Problems.Forbidden("Volunteers may only take themselves out of an organisation.");
        }

        // Members take themselves out of an organisation they may see; staff act on volunteers in their call.Scope.
        var caller = call.Caller;
        if (await call.Scope.FindOrganisation(id) is null)
        {
            return Problems.NotFound("Organisation", id);
        }

        var refused = self
            ? (await call.Scope.Organisation(caller, id)).Failure
            : (await call.Scope.Volunteer(caller, username, allowSelf: false)).Failure;
        if (refused is not null)
        {
            return Problems.From(refused);
        }

        var outcome = await call.Grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id)).RemoveMember(username, call.Caller.Actor);
        return outcome.Value is { } changed ? TypedResults.Ok(changed) : Problems.From(outcome.Failure!);
    }
}
