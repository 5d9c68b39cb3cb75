using Dispatch.Common;
using Dispatch.Intake;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Requests;
using Dispatch.WebHost.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Residents;

/// <summary>A resident's filing as posted from <c>/r/{communityId}</c>.</summary>
/// <param name="FormToken">The token <c>GET /api/intake/form/{communityId}</c> gave the form when it opened.</param>
/// <param name="Website">The honeypot: hidden from people, so only a script fills it in.</param>
public sealed record FileIntakeBody(
    string? CommunityId,
    IntakeKind? Kind,
    HelpKind? Help,
    string? Title,
    string? Description,
    [property: PersonalData] string? Name,
    [property: PersonalData] string? Phone,
    [property: PersonalData] string? Address,
    ResidentLanguage? Language,
    string? FormToken,
    string? Website)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>What the filing form needs when it opens: the community's name and a fresh form token.</summary>
public sealed record IntakeForm(string CommunityId, string CommunityName, string FormToken);

/// <summary>The answer to a filing: the code and link the resident follows it with.</summary>
public sealed record IntakeReceipt([property: SecretData] string TrackingCode, [property: SecretData] string TrackingUrl, IntakeStatus Status)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>Staff's edits when accepting an item as a request; each field left out comes from the filing.</summary>
public sealed record AcceptIntakeBody(RequestKind? Kind, string? Title, string? Description, string[]? Categories, Urgency? Urgency, int? Points);

public sealed record MergeIntakeBody(Guid? RequestId);

public sealed record DeclineIntakeBody(string? Reason);

/// <summary>
/// Residents file needs without an account (<c>POST /api/intake</c>), kept off the demand list
/// until staff in scope accept one as a request, merge it into an existing one, or decline it.
/// </summary>
public static class IntakeApi
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;

    /// <summary>The honeypot's field: a URL field no person sees, which form-filling scripts love.</summary>
    public const string HoneypotField = "website";

    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/api/intake").WithTags("Residents");
        open.MapGet("/form/{communityId}", Form).AllowAnonymous().RequireRateLimiting(DispatchRateLimits.ResidentReadsPerAddress)
            .WithSummary("Open the residents' filing form of a community (anonymous): its name and a signed form token, which a filing must carry and may not send sooner than the minimum fill time.");
        open.MapPost("/", File).AllowAnonymous().RequireRateLimiting(DispatchRateLimits.IntakePerAddress)
            .WithSummary("File a need as a resident (anonymous): a wish, help (handle, book, look up) or a grievance, with a private contact. Staff triage it before volunteers see anything; the answer carries the tracking code.");
        open.MapGet("/{id}", Get).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("One intake item with the resident's contact (staff in scope of its community).");
        open.MapPost("/{id}/accept", Accept).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Accept a waiting item as a new request of its community, with staff's edits; the resident is the beneficiary (staff in scope).");
        open.MapPost("/{id}/merge", Merge).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Merge a waiting item into an unfinished request of the same community; the resident follows that request (staff in scope).");
        open.MapPost("/{id}/decline", Decline).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Decline a waiting item with a reason the resident is shown (staff in scope).");
        app.MapGroup("/api/places").WithTags("Residents")
            .MapGet("/{id}/intake", List).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The intake of the communities at or below a place, newest first, optionally of one status, paged (staff in scope).");
        return app;
    }

    private static async Task<Results<Ok<IntakeForm>, ProblemHttpResult>> Form(
        string communityId, [AsParameters] CallContext call, IntakeFormTokens tokens) =>
        await call.Scope.Places.Find(communityId) is { Kind: PlaceKind.Community } community
            ? TypedResults.Ok(new IntakeForm(community.Id, community.Name, tokens.Issue(community.Id)))
            : Problems.NotFound("Community", communityId);

    private static async Task<Results<Created<IntakeReceipt>, ValidationProblem, ProblemHttpResult>> File(
        FileIntakeBody body, [AsParameters] CallContext call, IntakeFormTokens tokens, PhoneLimiter phoneLimiter)
    {
        // A filled honeypot is a script. Naming the field (as every refusal of input does) tells a
        // script nothing its author could not read in the page's markup.
        if (!string.IsNullOrEmpty(body.Website))
        {
            return Problems.From(new Failure(FailureKind.Invalid, "notAccepted", "This form could not be accepted; reload the page and try again.", HoneypotField));
        }

        var spec = new NewIntake(
            body.CommunityId?.Trim() ?? "",
            body.Kind ?? IntakeKind.Wish,
            body.Help,
            body.Title ?? "",
            body.Description,
            body.Name ?? "",
            Dispatch.Applications.ApplicationRules.NormalizePhone(body.Phone),
            body.Address,
            body.Language ?? ResidentLanguage.ZhCn);
        var errors = IntakeRules.Check(spec)
            .Require(body.Kind is not null, "kind", "'kind' must be wish, help or grievance.")
            .Require(!string.IsNullOrEmpty(body.FormToken), "formToken", "'formToken' is required: open the form again.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (await call.Scope.Places.Find(spec.CommunityId) is not { Kind: PlaceKind.Community })
        {
            return Problems.Invalid("communityId", $"'{spec.CommunityId}' is not a community.");
        }

        switch (tokens.Check(body.FormToken, spec.CommunityId))
        {
            case FormTokenCheck.Invalid:
                return Problems.Invalid("formToken", "'formToken' is not this community's form token: open the form again.");
            case FormTokenCheck.Expired:
                return Problems.From(new Failure(FailureKind.Invalid, "formExpired", "The form was open too long: reload the page and send it again.", "formToken"));
            case FormTokenCheck.TooFast:
                return Problems.From(new Failure(FailureKind.Invalid, "tooFast", "The form was sent sooner than a person can fill it in; check it and send it again.", "formToken"));
        }

        if (phoneLimiter.RefuseIntake(spec.Phone, call.Http) is { } limited)
        {
            return limited;
        }

        // The code first: an item is never stored without the code that leads to it.
        var code = TrackingCodes.New();
        var id = Guid.NewGuid().ToString("N");
        var linked = await call.Grains.GetGrain<ITrackingGrain>(IntakeKeys.Tracking(code)).Link(new TrackingLink(id, null));
        if (linked.Failure is { } taken)
        {
            return Problems.From(taken);
        }

        var filed = await call.Grains.GetGrain<IIntakeGrain>(IntakeKeys.Intake(id)).Submit(spec);
        return filed.Value is { } item
            ? TypedResults.Created(TrackingApi.ApiPath(code), new IntakeReceipt(code, TrackingApi.PagePath(code), item.Status))
            : Problems.From(filed.Failure!);
    }

    private static async Task<Results<Ok<IntakePage>, ValidationProblem, ProblemHttpResult>> List(
        string id, string? status, string? page, string? pageSize, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors();
        var wanted = Query.ParseEnum<IntakeStatus>(status, "status", errors);
        var paging = Query.Paging(page, pageSize, DefaultPageSize, MaxPageSize, errors, maxPage: 100_000);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var (items, total) = await SubtreeLists.Page(
            place, call.Scope.Places,
            community => call.Grains.GetGrain<ICommunityIntakeGrain>(IntakeKeys.CommunityIntake(community)).List(wanted),
            line => line.SubmittedAt, line => line.Id,
            itemId => call.Grains.GetGrain<IIntakeGrain>(IntakeKeys.Intake(itemId)).Get(),
            paging);
        return TypedResults.Ok(new IntakePage(items, total, paging.Number, paging.Size));
    }

    private static async Task<Results<Ok<IntakeItem>, ProblemHttpResult>> Get(string id, [AsParameters] CallContext call)
    {
        var (_, item, refused) = await Decidable(id, call);
        return refused ?? (Results<Ok<IntakeItem>, ProblemHttpResult>)TypedResults.Ok(item!);
    }

    private static async Task<Results<Ok<IntakeItem>, ValidationProblem, ProblemHttpResult>> Accept(
        string id, AcceptIntakeBody? body, [AsParameters] CallContext call)
    {
        var (grain, item, refused) = await Decidable(id, call);
        if (refused is not null)
        {
            return refused;
        }

        // The request's id follows from the item's, so a retry reaches the same request.
        var requestId = Guid.ParseExact(item!.Id, "N");
        if (item.Status == IntakeStatus.Waiting)
        {
            var categories = body?.Categories ?? (IntakeKinds.CategoryOf(item.Help) is { } category ? [category] : []);
            var request = new CreateRequestBody(
                item.CommunityId,
                body?.Kind ?? IntakeKinds.RequestKindOf(item.Kind),
                body?.Title ?? item.Title,
                body?.Description ?? item.Description,
                categories,
                body?.Urgency ?? Urgency.Normal,
                1,
                body?.Points ?? 0,
                new BeneficiaryBody(item.Name, item.Phone, item.Address));
            var (_, invalid, failed) = await RequestsApi.Publish(request, requestId, call);
            if (invalid is not null)
            {
                return Problems.Invalid(invalid);
            }

            // Created before by another member of staff whose acceptance was interrupted: that request is this item's.
            if (failed is not null && failed.Code != "alreadyExists")
            {
                return Problems.From(failed);
            }
        }

        return Decided(await grain!.Accept(call.Caller.Actor, requestId));
    }

    private static async Task<Results<Ok<IntakeItem>, ValidationProblem, ProblemHttpResult>> Merge(
        string id, MergeIntakeBody? body, [AsParameters] CallContext call)
    {
        if (body?.RequestId is not { } requestId)
        {
            return Problems.Invalid("requestId", "'requestId' is required: the request to merge into.");
        }

        var (grain, item, refused) = await Decidable(id, call);
        if (refused is not null)
        {
            return refused;
        }

        var target = await call.Scope.Request(call.Caller, requestId);
        if (target.Value is not { View: var request })
        {
            return target.Failure!.Kind == FailureKind.NotFound
                ? Problems.Invalid("requestId", $"Request '{requestId}' does not exist.")
                : Problems.From(target.Failure!);
        }

        if (request.CommunityId != item!.CommunityId)
        {
            return Problems.From(new Failure(FailureKind.Invalid, "otherCommunity", "Merge only into a request of the item's own community.", "requestId"));
        }

        if (request.Status.IsFinal())
        {
            return Problems.From(new Failure(FailureKind.Invalid, "requestFinished", "That request is finished: accept the item as a new one instead.", "requestId"));
        }

        return Decided(await grain!.Merge(call.Caller.Actor, requestId));
    }

    private static async Task<Results<Ok<IntakeItem>, ValidationProblem, ProblemHttpResult>> Decline(
        string id, DeclineIntakeBody? body, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors().RequireText(body?.Reason, "reason", IntakeRules.MaxReason);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var (grain, _, refused) = await Decidable(id, call);
        return refused ?? Decided(await grain!.Decline(call.Caller.Actor, body!.Reason!));
    }

    private static Results<Ok<IntakeItem>, ValidationProblem, ProblemHttpResult> Decided(Outcome<IntakeItem> outcome) => outcome switch
    {
        { Value: { } item } => TypedResults.Ok(item),
        { Failure: { Kind: FailureKind.Invalid, Field: { } field } failure } => Problems.Invalid(field, failure.Detail),
        _ => Problems.From(outcome.Failure!),
    };

    /// <summary>The item's grain and the item, when it exists and its community is in the caller's scope.</summary>
    private static async Task<(IIntakeGrain? Grain, IntakeItem? Item, ProblemHttpResult? Refused)> Decidable(string id, CallContext call)
    {
        var grain = IntakeRules.IsValidId(id)
            ? call.Grains.GetGrain<IIntakeGrain>(IntakeKeys.Intake(id))
            : null;
        if (grain is null || await grain.Get() is not { } item)
        {
            return (null, null, Problems.NotFound("Intake item", id));
        }

        var scoped = await call.Scope.Place(call.Caller, item.CommunityId);
        return scoped.Failure is { } outside ? (null, null, Problems.From(outside)) : (grain, item, null);
    }
}
