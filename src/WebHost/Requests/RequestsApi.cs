using System.Collections.Immutable;
using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Organisations;
using Dispatch.Places;
using Dispatch.Queries;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Requests;

public sealed record BeneficiaryBody([property: PersonalData] string? Name, [property: PersonalData] string? Phone, [property: PersonalData] string? Address)
{
    public override string ToString() => ClassifiedText.Of(this);
}

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

/// <summary>A volunteer's claim: an empty body (one place for themself), or places for their organisation.</summary>
public sealed record ClaimBody(string? OrganisationId, int? Places);

public sealed record CompleteBody(string? Note, [property: SecretData] string? CheckInCode, ImmutableArray<string>? Participants = null)
{
    public override string ToString() => ClassifiedText.Of(this);
}

public sealed record VerifyBody(bool? Approved, int? Rating, string? Comment, ImmutableArray<string>? Participants = null, int? Minutes = null);

public sealed record CancelBody(string? Reason);

public sealed record HandoverBody(string? To);

/// <summary>Staff's changes to an open request: each field left out stays as it is.</summary>
public sealed record EditRequestBody(string? Title, string? Description, string[]? Categories, Urgency? Urgency);

/// <summary>Staff release a claimant's place (a no-show), with a reason; a volunteer sends no body.</summary>
public sealed record ReleaseBody(string? Volunteer, string? Reason);

public static class RequestsApi
{
    public const int MaxReason = 2000;
    public const int MaxCheckInCode = 32;
    public const int DefaultHistoryPageSize = 50;
    public const int MaxHistoryPageSize = 200;
    public const int MaxHistoryPage = 100_000;
    public const int MaxReceiverQuery = 64;

    public static RouteGroupBuilder MapRequestsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/requests").WithTags("Requests");
        group.MapPost("/", CreateRequest).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Publish a request in a community inside your scope (staff).");
        group.MapGet("/{id:guid}", GetRequest).WithSummary("A request; the beneficiary's contact only for staff in scope and current claimants.");
        group.MapGet("/{id:guid}/history", GetHistory)
            .WithSummary("The request's audit trail: who did what, when and why; with page or pageSize, one page of it ({items, total, page, pageSize, version}).");
        group.MapGet("/{id:guid}/contact-reads", GetContactReads).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Who was shown the beneficiary's contact, and when (staff in scope).");

        group.MapPost("/{id:guid}/claim", Claim).RequireAuthorization(AuthenticationSetup.VolunteerPolicy).RequireRateLimiting(Security.DispatchRateLimits.ClaimsPerVolunteer)
            .WithSummary("Claim a place (volunteers of the request's community), or several for your organisation, all or nothing. 409 with a reason when lost.");
        group.MapPatch("/{id:guid}", Edit).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Change the title, description, categories or urgency of an open request nobody holds yet (staff in scope); recorded in its history.");
        group.MapPost("/{id:guid}/release", Release)
            .WithSummary("Give a claimed place back: the claimant with no body; staff in scope name the volunteer and a reason (a no-show).");
        group.MapPost("/{id:guid}/start", (Guid id, [AsParameters] CallContext call) =>
                Transition(id, call, (request, actor) => request.Start(actor)))
            .WithSummary("Start the work (a claimant).");
        group.MapPost("/{id:guid}/complete", Complete)
            .WithSummary("Report the work done (a claimant, or staff in scope); with the beneficiary's check-in code it is verified at once.");
        group.MapPost("/{id:guid}/verify", Verify).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Accept or reject the completion (staff in scope); rejecting a verified request overturns it and reverses its points.");
        group.MapPost("/{id:guid}/cancel", Cancel).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Withdraw the request, with a reason (staff in scope).");
        group.MapPost("/{id:guid}/acknowledge", (Guid id, [AsParameters] CallContext call) =>
                Transition(id, call, (request, actor) => request.Acknowledge(actor)))
            .RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Take the request up (staff in scope): the first becomes its owner, later ones supervisors; an overdue request stops climbing.");
        group.MapPost("/{id:guid}/handover", Handover).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Offer ownership to another staff member whose scope covers the request (the owner).");
        group.MapGet("/{id:guid}/handover-receivers", GetHandoverReceivers).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The staff a handover of the request may go to (enabled staff placed on its community's ladder, nearest first), q to search names; staff in scope.");
        group.MapPost("/{id:guid}/accept-handover", (Guid id, [AsParameters] CallContext call) =>
                Transition(id, call, (request, actor) => request.AcceptHandover(actor)))
            .RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Accept a handover offered to you: you become the owner.");
        return api;
    }

    private static async Task<Results<Created<RequestView>, ValidationProblem, ProblemHttpResult>> CreateRequest(
        CreateRequestBody body, [AsParameters] CallContext call, HttpRequest http)
    {
        // With an Idempotency-Key the id follows from it, so a retry after a lost answer (a timeout)
        // reaches the same request instead of creating a second one.
        var id = http.Headers.TryGetValue(IdempotencyMiddleware.Header, out var key) && key.ToString() is { Length: > 0 } k
            ? IdempotencyMiddleware.IdFor(call.Caller.Username, k)
            : Guid.NewGuid();
        var (created, invalid, refused) = await Publish(body, id, call);
        return created is not null ? TypedResults.Created($"/api/requests/{created.Id}", created.Present(RequestAccess.Staff))
            : invalid is not null ? Problems.Invalid(invalid)
            : Problems.From(refused!);
    }

    /// <summary>
    /// Checks a create body and the caller's scope over its community, then creates the request
    /// under <paramref name="id"/> (offered to <paramref name="offerTo"/> in the same write, when
    /// given): the request, or the fields at fault, or the refusal.
    /// </summary>
    internal static async Task<(RequestView? Created, ValidationErrors? Invalid, Failure? Refused)> Publish(
        CreateRequestBody body, Guid id, CallContext call, string? offerTo = null)
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
        var errors = RequestLimits.Validate(spec).Require(body.Kind is not null, "kind", "'kind' is required.", "required");
        if (!errors.IsEmpty)
        {
            return (null, errors, null);
        }

        if ((await call.Scope.Community(call.Caller, spec.CommunityId)).Failure is { } refused)
        {
            return refused is { Field: { } field } ? (null, new ValidationErrors().Add(field, refused.Detail, refused.Code), null) : (null, null, refused);
        }

        var grain = call.Grains.GetGrain<IRequestGrain>(id);
        var outcome = offerTo is null ? await grain.Create(spec, call.Caller.Actor) : await grain.CreateOffered(spec, call.Caller.Actor, offerTo);
        return (outcome.Value, null, outcome.Failure);
    }

    private static async Task<Results<Ok<RequestView>, ProblemHttpResult>> GetRequest(
        Guid id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Request(call.Caller, id);
        if (found.Value is not (var request, var access))
        {
            return Problems.From(found.Failure!);
        }

        return TypedResults.Ok(await Shown(request, access, call));
    }

    private static async Task<Results<Ok<ImmutableArray<ContactRead>>, ProblemHttpResult>> GetContactReads(
        Guid id, [AsParameters] CallContext call)
    {
        // A staff route: admins and staff in scope only, who see the request in full.
        var found = await call.Scope.Request(call.Caller, id);
        return found.Succeeded
            ? TypedResults.Ok(await call.Grains.GetGrain<IRequestGrain>(id).GetContactReads() ?? [])
            : Problems.From(found.Failure!);
    }

    private static async Task<Results<Ok<ImmutableArray<HandoverReceiver>>, ValidationProblem, ProblemHttpResult>> GetHandoverReceivers(
        Guid id, string? q, [AsParameters] CallContext call)
    {
        if (q is { Length: > MaxReceiverQuery })
        {
            return Problems.Invalid("q", $"'q' must be at most {MaxReceiverQuery} characters.");
        }

        var found = await call.Scope.Request(call.Caller, id);
        return found.Succeeded
            ? TypedResults.Ok(await call.Grains.GetGrain<IRequestGrain>(id).GetHandoverReceivers(call.Caller.Actor, q))
            : Problems.From(found.Failure!);
    }

    private static async Task<Results<Ok<ImmutableArray<HistoryEntry>>, Ok<HistoryPage>, ValidationProblem, ProblemHttpResult>> GetHistory(
        Guid id, string? page, string? pageSize, [AsParameters] CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = Query.Paging(page, pageSize, DefaultHistoryPageSize, MaxHistoryPageSize, errors, MaxHistoryPage);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Request(call.Caller, id);
        if (found.Value is not (var request, var access))
        {
            return Problems.From(found.Failure!);
        }

        // Without paging: the entries the request keeps (its latest; all of them for most requests),
        // from the request itself as it always was. The header says how many there are in all.
        if (page is null && pageSize is null)
        {
            var kept = await call.Grains.GetGrain<IRequestGrain>(id).GetHistory() ?? [];
            call.Http.Response.Headers[TotalCountHeader] = Math.Max(request.Version, kept.IsEmpty ? 0 : kept[^1].Seq)
                .ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Ok(kept.Present(access));
        }

        // Paged from the query store; while the store is behind what was just read, what it lacks
        // comes from the request itself, which keeps every entry the store has not confirmed.
        var stored = await queries.History(id, paging.Number, paging.Size, cancellationToken);
        var paged = stored is not null && stored.Version >= request.Version
            ? stored
            : PageOf(stored, await call.Grains.GetGrain<IRequestGrain>(id).GetHistory() ?? [], paging.Number, paging.Size, request.Version);
        return TypedResults.Ok(paged with { Items = paged.Items.Present(access) });
    }

    /// <summary>The header of the unpaged history that gives the number of entries in all (older ones are read with paging).</summary>
    public const string TotalCountHeader = "X-Total-Count";

    /// <summary>Page <paramref name="page"/> of entries numbered 1, 2, …: the store's entries and the request's own, each once.</summary>
    private static HistoryPage PageOf(HistoryPage? stored, ImmutableArray<HistoryEntry> kept, int page, int size, int version)
    {
        var first = (page - 1) * size + 1;
        var total = Math.Max(version, kept.IsEmpty ? 0 : kept[^1].Seq);
        var items = (stored?.Items ?? [])
            .Concat(kept.Where(entry => entry.Seq >= first && entry.Seq < first + size))
            .DistinctBy(entry => entry.Seq)
            .OrderBy(entry => entry.Seq);
        return new([.. items], total, page, size, total);
    }

    private static async Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult, LostClaim>> Claim(
        Guid id, ClaimBody? body, [AsParameters] CallContext call, ClaimCoalescer coalescer)
    {
        var claimant = new Claimant(call.Caller.Username, call.Caller.PlaceId);
        if (body is { OrganisationId: not null } or { Places: not null })
        {
            var errors = new ValidationErrors()
                .Require(body.Places is null or (>= RequestLimits.MinPlaces and <= RequestLimits.MaxPlaces), "places", $"'places' must be between {RequestLimits.MinPlaces} and {RequestLimits.MaxPlaces}.")
                .Require(body.OrganisationId is not null || body.Places is null or 1, "organisationId", "Only an organisation claims more than one place: name it in 'organisationId'.")
                .Require(body.OrganisationId is null || Identifiers.IsValidPlaceId(body.OrganisationId), "organisationId", "'organisationId' is not a valid organisation id.");
            if (!errors.IsEmpty)
            {
                return Problems.Invalid(errors);
            }

            // The request checks the organisation: its member asks, and it reports in to the request's community.
            claimant = claimant with { OrganisationId = body.OrganisationId, Places = body.Places ?? 1 };
        }

        var outcome = await coalescer.Claim(id, claimant);
        DispatchMetrics.ClaimAnswered(outcome);

        // The grain recorded the claimant's contact read in the claim's own write.
        return outcome.Value is { } won ? TypedResults.Ok(won.Present(RequestAccess.Claimant))
            : LostClaim.For(outcome.Failure!) is { } lost ? lost
            : Problems.From(outcome.Failure!);
    }

    private static Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Edit(
        Guid id, EditRequestBody body, [AsParameters] CallContext call)
    {
        var edit = new RequestEdit(
            body.Title,
            body.Description,
            body.Categories is null ? null : [.. body.Categories.Select(c => c ?? "")],
            body.Urgency);
        return Transition(id, call, (request, actor) => request.Edit(actor, edit), edit.Validate());
    }

    private static Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Release(
        Guid id, ReleaseBody? body, [AsParameters] CallContext call)
    {
        if (body?.Volunteer is not { } named)
        {
            // The claimant's own release: no body, as it always was.
            return Transition(id, call, (request, actor) => request.Release(actor));
        }

        var volunteer = Identifiers.NormalizeUsername(named);
        return Transition(
            id, call, (request, actor) => request.ReleaseClaim(actor, volunteer, body.Reason),
            new ValidationErrors()
                .Require(Identifiers.IsValidUsername(volunteer), "volunteer", "'volunteer' must be a username.")
                .RequireText(body.Reason, "reason", MaxReason, required: false));
    }

    private static Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Complete(
        Guid id, CompleteBody? body, [AsParameters] CallContext call) =>
        Transition(
            id, call, (request, actor) => request.Complete(actor, body?.Note, body?.CheckInCode, body?.Participants ?? []),
            new ValidationErrors()
                .RequireText(body?.Note, "note", RequestLimits.MaxNote, required: false)
                .Require(ParticipantsAreNames(body?.Participants), "participants", ParticipantsRule)
                .Require(body?.CheckInCode is null || body.CheckInCode.Trim().Length is > 0 and <= MaxCheckInCode, "checkInCode", $"'checkInCode' must be 1 to {MaxCheckInCode} characters."));

    private static Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Verify(
        Guid id, VerifyBody body, [AsParameters] CallContext call) =>
        Transition(
            id, call, (request, actor) => request.Verify(actor, body.Approved!.Value, body.Rating, body.Comment, body.Participants, body.Minutes),
            new ValidationErrors()
                .Require(ParticipantsAreNames(body.Participants), "participants", ParticipantsRule)
                .Require(body.Approved is not null, "approved", "'approved' is required (true or false).")
                .Require(body.Rating is null or (>= 1 and <= 5), "rating", "'rating' must be between 1 and 5.")
                .RequireText(body.Comment, "comment", RequestLimits.MaxNote, required: false)
                .Require(body.Minutes is null or (>= 1 and <= Hours.HoursApi.MaxMinutes), "minutes", $"'minutes' must be between 1 and {Hours.HoursApi.MaxMinutes}.")
                .Require(body.Minutes is null || body.Approved != false, "minutes", "Service hours are confirmed with an approval only."));

    /// <summary>At most this many participants in one body: no request has more places.</summary>
    public const int MaxParticipants = RequestLimits.MaxPlaces;

    private static readonly string ParticipantsRule = $"'participants' must be at most {MaxParticipants} usernames, none empty or longer than 64 characters.";

    private static bool ParticipantsAreNames(ImmutableArray<string>? participants) =>
        participants is not { } names
        || (names.Length <= MaxParticipants && names.All(n => n is { Length: > 0 and <= 64 } && !string.IsNullOrWhiteSpace(n)));

    private static Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Cancel(
        Guid id, CancelBody body, [AsParameters] CallContext call) =>
        Transition(
            id, call, (request, actor) => request.Cancel(actor, body.Reason!),
            new ValidationErrors().RequireText(body.Reason, "reason", MaxReason));

    private static Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Handover(
        Guid id, HandoverBody body, [AsParameters] CallContext call)
    {
        var to = body.To is null ? null : Identifiers.NormalizeUsername(body.To);
        return Transition(
            id, call, (request, actor) => request.Handover(actor, to!),
            new ValidationErrors().Require(to is not null && Identifiers.IsValidUsername(to), "to", "'to' must be the username of a staff member."));
    }

    /// <summary>
    /// Refuses invalid input first; then staff act only inside their scope, and the grain decides
    /// the rest (claimant, status).
    /// </summary>
    internal static async Task<Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult>> Transition(
        Guid id,
        CallContext call,
        Func<IRequestGrain, Actor, Task<Outcome<RequestView>>> change,
        ValidationErrors? errors = null)
    {
        if (errors is { IsEmpty: false })
        {
            return Problems.Invalid(errors);
        }

        var caller = call.Caller;
        if (caller.Actor.IsStaff && await call.Scope.Request(caller, id) is { Failure: { } refused })
        {
            return Problems.From(refused);
        }

        var outcome = await change(call.Grains.GetGrain<IRequestGrain>(id), caller.Actor);
        if (outcome.Value is not { } changed)
        {
            return Problems.From(outcome.Failure!);
        }

        return TypedResults.Ok(await Shown(changed, await call.Scope.AccessTo(caller, changed), call));
    }

    /// <summary>
    /// The request as the caller may see it (<see cref="RequestAccessRules.Present"/>). When that
    /// shows the beneficiary's contact, the read is on record first (once per reader per
    /// <see cref="RequestLimits.ContactReadSpan"/>): every answer that carries a contact, a GET
    /// or the answer to a start, complete or any other change, is in <c>contact-reads</c> (a claim
    /// records it in its own write). Not the answer to creating a request: it shows its creator what they sent.
    /// </summary>
    internal static async Task<RequestView> Shown(RequestView request, RequestAccess access, CallContext call)
    {
        var shown = request.Present(access);
        if (shown.Beneficiary is not null)
        {
            await call.Grains.GetGrain<IRequestGrain>(request.Id).RecordContactRead(call.Caller.Username);
        }

        return shown;
    }
}
