using System.Collections.Immutable;
using System.Security.Claims;
using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Api;

public sealed record BeneficiaryBody(string? Name, string? Phone, string? Address);

public sealed record CreateRequestBody(
    string? CommunityId,
    RequestKind? Kind,
    string? Title,
    string? Description,
    string[]? Categories,
    Urgency? Urgency,
    int? Places,
    int? Points,
    BeneficiaryBody? Beneficiary);

public sealed record CompleteBody(string? Note);

public sealed record VerifyBody(bool? Approved, int? Rating, string? Comment);

public sealed record CancelBody(string? Reason);

public sealed record HandoverBody(string? To);

public static class RequestsApi
{
    public const int MaxReason = 2000;

    public static RouteGroupBuilder MapRequestsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/requests").WithTags("Requests");
        group.MapPost("/", CreateRequest).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Publish a request in a community inside your scope (staff).");
        group.MapGet("/{id:guid}", GetRequest).WithSummary("A request; the beneficiary's contact only for staff in scope and current claimants.");
        group.MapGet("/{id:guid}/history", GetHistory).WithSummary("The request's audit trail: who did what, when and why.");

        group.MapPost("/{id:guid}/claim", Claim).RequireAuthorization(AuthenticationSetup.VolunteerPolicy)
            .WithSummary("Claim a place (volunteers of the request's community). 409 with a reason when lost.");
        group.MapPost("/{id:guid}/release", (Guid id, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places) =>
                Transition(id, user, grains, places, (request, actor) => request.Release(actor)))
            .WithSummary("Give a claimed place back (the claimant).");
        group.MapPost("/{id:guid}/start", (Guid id, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places) =>
                Transition(id, user, grains, places, (request, actor) => request.Start(actor)))
            .WithSummary("Start the work (a claimant).");
        group.MapPost("/{id:guid}/complete", Complete).WithSummary("Report the work done (a claimant, or staff in scope).");
        group.MapPost("/{id:guid}/verify", Verify).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Accept or reject the completion (staff in scope).");
        group.MapPost("/{id:guid}/cancel", Cancel).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Withdraw the request, with a reason (staff in scope).");
        group.MapPost("/{id:guid}/acknowledge", (Guid id, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places) =>
                Transition(id, user, grains, places, (request, actor) => request.Acknowledge(actor)))
            .RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Take the request up (staff in scope): the first becomes its owner, later ones supervisors; an overdue request stops climbing.");
        group.MapPost("/{id:guid}/handover", Handover).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Offer ownership to another staff member whose scope covers the request (the owner).");
        group.MapPost("/{id:guid}/accept-handover", (Guid id, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places) =>
                Transition(id, user, grains, places, (request, actor) => request.AcceptHandover(actor)))
            .RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Accept a handover offered to you: you become the owner.");
        return api;
    }

    private static async Task<Results<Created<RequestView>, ValidationProblem, ProblemHttpResult>> CreateRequest(
        CreateRequestBody body, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places, HttpRequest http)
    {
        var spec = new NewRequest(
            body.CommunityId ?? "",
            body.Kind ?? RequestKind.Wish,
            body.Title ?? "",
            body.Description,
            body.Categories is null ? [] : [.. body.Categories.Select(c => c ?? "")],
            body.Urgency ?? Urgency.Normal,
            body.Places ?? 1,
            body.Points ?? 0,
            body.Beneficiary is { } b ? new Beneficiary(b.Name ?? "", b.Phone, b.Address) : null);
        var errors = RequestLimits.Validate(spec).Require(body.Kind is not null, "kind", "'kind' is required.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (await places.Find(spec.CommunityId) is not { Kind: PlaceKind.Community } community)
        {
            return Problems.Invalid("communityId", $"'{spec.CommunityId}' is not a community.");
        }

        if (!PlaceDirectory.InScope(user, community))
        {
            return Problems.Forbidden($"Community '{community.Id}' is outside your scope.");
        }

        // With an Idempotency-Key the id follows from it, so a retry after a lost answer (a timeout)
        // reaches the same request instead of creating a second one.
        var id = http.Headers.TryGetValue(IdempotencyMiddleware.Header, out var key) && key.ToString() is { Length: > 0 } k
            ? IdempotencyMiddleware.IdFor(user.Username(), k)
            : Guid.NewGuid();
        var outcome = await grains.GetGrain<IRequestGrain>(id).Create(spec, user.Actor());
        return outcome.Value is { } created
            ? TypedResults.Created($"/api/requests/{created.Id}", created.Present(withBeneficiary: true))
            : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<RequestView>, ProblemHttpResult>> GetRequest(
        Guid id, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places)
    {
        if (await grains.GetGrain<IRequestGrain>(id).Get() is not { } request)
        {
            return Problems.NotFound("Request", id.ToString());
        }

        return await places.AccessTo(user, request) switch
        {
            RequestAccess.Full => TypedResults.Ok(request.Present(withBeneficiary: true)),
            RequestAccess.Public => TypedResults.Ok(request.Present(withBeneficiary: false)),
            _ => Problems.Forbidden($"Request '{id}' is outside your scope."),
        };
    }

    private static async Task<Results<Ok<ImmutableArray<HistoryEntry>>, ProblemHttpResult>> GetHistory(
        Guid id, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places)
    {
        var grain = grains.GetGrain<IRequestGrain>(id);
        if (await grain.Get() is not { } request)
        {
            return Problems.NotFound("Request", id.ToString());
        }

        if (await places.AccessTo(user, request) == RequestAccess.None)
        {
            return Problems.Forbidden($"Request '{id}' is outside your scope.");
        }

        return TypedResults.Ok(await grain.GetHistory() ?? []);
    }

    private static async Task<Results<Ok<RequestView>, ProblemHttpResult>> Claim(
        Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IRequestGrain>(id).Claim(new Claimant(user.Username(), user.PlaceId()));
        return result.Request is { } won
            ? TypedResults.Ok(won.Present(withBeneficiary: true))
            : ClaimProblems.For(result.Loss!.Value, id);
    }

    private static Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Complete(
        Guid id, CompleteBody? body, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places) =>
        Transition(
            id, user, grains, places, (request, actor) => request.Complete(actor, body?.Note),
            new ValidationErrors().RequireText(body?.Note, "note", RequestLimits.MaxNote, required: false));

    private static Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Verify(
        Guid id, VerifyBody body, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places) =>
        Transition(
            id, user, grains, places, (request, actor) => request.Verify(actor, body.Approved!.Value, body.Rating, body.Comment),
            new ValidationErrors()
                .Require(body.Approved is not null, "approved", "'approved' is required (true or false).")
                .Require(body.Rating is null or (>= 1 and <= 5), "rating", "'rating' must be between 1 and 5.")
                .RequireText(body.Comment, "comment", RequestLimits.MaxNote, required: false));

    private static Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Cancel(
        Guid id, CancelBody body, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places) =>
        Transition(
            id, user, grains, places, (request, actor) => request.Cancel(actor, body.Reason!),
            new ValidationErrors().RequireText(body.Reason, "reason", MaxReason));

    private static async Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Handover(
        Guid id, HandoverBody body, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places)
    {
        var to = body.To is null ? null : Identifiers.NormalizeUsername(body.To);
        if (to is null || !Identifiers.IsValidUsername(to))
        {
            return Problems.Invalid("to", "'to' must be the username of a staff member.");
        }

        if (await grains.GetGrain<IRequestGrain>(id).Get() is not { } request)
        {
            return Problems.NotFound("Request", id.ToString());
        }

        if (!await places.InScope(user, request.CommunityId))
        {
            return Problems.Forbidden($"Request '{id}' is outside your scope.");
        }

        // The receiver must be staff whose scope covers the request.
        var receiver = await grains.GetGrain<IAccountGrain>(GrainKeys.Account(to)).Get();
        var community = await places.Find(request.CommunityId);
        if (receiver is null || receiver.Role == AccountRole.Volunteer
            || (receiver.Role == AccountRole.Staff && community?.IsWithin(receiver.PlaceId) != true))
        {
            return Problems.Invalid("to", $"'{to}' is not a staff member whose scope covers this request.");
        }

        return await Transition(id, user, grains, places, (grain, actor) => grain.Handover(actor, to));
    }

    /// <summary>
    /// Refuses invalid input first; then staff act only inside their scope, and the grain decides
    /// the rest (claimant, status).
    /// </summary>
    private static async Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Transition(
        Guid id,
        ClaimsPrincipal user,
        IGrainFactory grains,
        PlaceDirectory places,
        Func<IRequestGrain, Actor, Task<Outcome<RequestView>>> change,
        ValidationErrors? errors = null)
    {
        if (errors is { IsEmpty: false })
        {
            return Problems.Invalid(errors);
        }

        var grain = grains.GetGrain<IRequestGrain>(id);
        var actor = user.Actor();
        if (actor.IsStaff)
        {
            if (await grain.Get() is not { } current)
            {
                return Problems.NotFound("Request", id.ToString());
            }

            if (!await places.InScope(user, current.CommunityId))
            {
                return Problems.Forbidden($"Request '{id}' is outside your scope.");
            }
        }

        var outcome = await change(grain, actor);
        if (outcome.Value is not { } changed)
        {
            return Problems.From(outcome.Failure!);
        }

        var access = await places.AccessTo(user, changed);
        return TypedResults.Ok(changed.Present(withBeneficiary: access == RequestAccess.Full));
    }
}
