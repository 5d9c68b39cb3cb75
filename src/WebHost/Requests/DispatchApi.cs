using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Dispatching;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Requests;

/// <summary>Either one volunteer, or <c>auto: true</c> to cascade through the ranked candidates.</summary>
public sealed record DispatchBody(string? Volunteer, bool? Auto);

public sealed record DeclineBody(string? Reason);

/// <param name="PoolPlaceId">Where the candidates come from: the request's community, or its town once the request has escalated there.</param>
public sealed record CandidatesResponse(Guid RequestId, string PoolPlaceId, ImmutableArray<Candidate> Candidates);

/// <summary>Precise dispatch (精准派单): ranking volunteers for a request, offering it to one, and their answer.</summary>
public static class DispatchApi
{
    public static RouteGroupBuilder MapDispatchApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/requests").WithTags("Dispatch");
        group.MapGet("/{id:guid}/candidates", GetCandidates).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Volunteers ranked for the request by skills, load, recent completions and declines, with the reasons (staff in scope).");
        group.MapPost("/{id:guid}/dispatch", Dispatch).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Offer the request to one volunteer, or with auto: true to the ranked candidates in turn (staff in scope).");
        group.MapPost("/{id:guid}/offer/accept", (Guid id, [AsParameters] CallContext call) =>
                RequestsApi.Transition(id, call, (request, actor) => request.AcceptOffer(actor)))
            .RequireAuthorization(AuthenticationSetup.VolunteerPolicy).RequireRateLimiting(Security.DispatchRateLimits.ClaimsPerVolunteer)
            .WithSummary("Accept an offer made to you: the reserved place becomes your claim.");
        group.MapPost("/{id:guid}/offer/decline", Decline).RequireAuthorization(AuthenticationSetup.VolunteerPolicy)
            .WithSummary("Decline an offer made to you; an automatic dispatch moves on to the next candidate.");
        return api;
    }

    private static async Task<Results<Ok<CandidatesResponse>, ProblemHttpResult>> GetCandidates(
        Guid id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Request(call.Caller, id);
        if (found.Value?.View is not { } request)
        {
            return Problems.From(found.Failure!);
        }

        var ranked = await call.Grains.GetGrain<ICandidatesGrain>(ICandidatesGrain.Key).Rank(request, call.Caller.Actor);
        return TypedResults.Ok(new CandidatesResponse(id, ranked.PoolPlaceId, ranked.Candidates));
    }

    private static async Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Dispatch(
        Guid id, DispatchBody body, [AsParameters] CallContext call)
    {
        var auto = body.Auto == true;
        var volunteer = body.Volunteer is null ? null : Identifiers.NormalizeUsername(body.Volunteer);
        var errors = new ValidationErrors()
            .Require(auto || volunteer is not null, "volunteer", "Name the 'volunteer' to offer the request to, or set 'auto' to true.")
            .Require(!auto || volunteer is null, "auto", "Give either 'volunteer' or 'auto', not both.")
            .Require(volunteer is null || Identifiers.IsValidUsername(volunteer), "volunteer", "'volunteer' must be a username.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        return await RequestsApi.Transition(id, call, (_, actor) =>
            call.Grains.GetGrain<ICandidatesGrain>(ICandidatesGrain.Key).Offer(id, actor, volunteer, auto));
    }

    private static Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Decline(
        Guid id, DeclineBody? body, [AsParameters] CallContext call) =>
        RequestsApi.Transition(
            id, call, (request, actor) => request.DeclineOffer(actor, body?.Reason),
            new ValidationErrors().RequireText(body?.Reason, "reason", RequestsApi.MaxReason, required: false));
}
