using System.Collections.Immutable;
using Dispatch.Accounts;
using Dispatch.Applications;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Applications;

/// <summary>A report-in as posted; the password goes to the applicant's account, hashed there.</summary>
public sealed record ApplyRequest(
    ApplicationKind? Kind,
    string? CommunityId,
    string? Name,
    [property: PersonalData] string? Phone,
    string? Username,
    [property: SecretData] string? Password,
    string? Unit,
    bool? PartyMember,
    string?[]? Skills,
    string?[]? Availability,
    string?[]? Offers,
    UnitKind? UnitKind = null)
{
    public override string ToString() => ClassifiedText.Of(this);
}

public sealed record RejectApplicationRequest(string? Reason);

/// <summary>
/// Reporting in (双报到): anyone applies to a community, which creates an application and an
/// account of role applicant (allowed nothing but reading its application, see
/// <see cref="AuthenticationSetup"/>); staff in scope of the community approve or reject.
/// </summary>
public static class ApplicationsApi
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;

    /// <summary>Mapped beside the <c>/api</c> group, not in it: its default policy admits members only, and applicants read theirs here.</summary>
    public static WebApplication MapApplicationsApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/applications").WithTags("Applications");
        group.MapPost("/", Apply).AllowAnonymous().RequireRateLimiting(DispatchRateLimits.ApplicationsPerAddress)
            .WithSummary("Report in to a community as a person or for a unit (anonymous): creates an application and the applicant's sign-in, which may read the application and nothing else until staff approve it.");
        group.MapGet("/mine", Mine).RequireAuthorization(AuthenticationSetup.ApplicantPolicy)
            .WithSummary("The caller's own application: waiting, approved, or rejected with the reason (applicants, and volunteers who were).");
        group.MapPost("/{id}/approve", Approve).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Approve a waiting application (staff in scope of its community): the applicant becomes a volunteer of the community, and a unit an organisation with its contact as member.");
        group.MapPost("/{id}/reject", Reject).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Reject a waiting application with a reason the applicant is shown (staff in scope of its community).");
        group.MapGet("/{id}/trail", Trail).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The application's audit trail, oldest first: who submitted, approved or rejected it, when and why (staff in scope of its community).");
        app.MapGroup("/api/places").WithTags("Applications")
            .MapGet("/{id}/applications", List).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The applications made to the communities at or below a place, newest first, optionally of one status, paged (staff in scope).");
        app.MapPlaceDirectoryApi();
        return app;
    }

    private static async Task<Results<Created<ApplicationStatusView>, ValidationProblem, ProblemHttpResult>> Apply(
        ApplyRequest body, [AsParameters] CallContext call, PhoneLimiter phoneLimiter)
    {
        var spec = new NewApplication(
            body.Kind ?? ApplicationKind.Person,
            body.CommunityId?.Trim() ?? "",
            body.Name ?? "",
            ApplicationRules.NormalizePhone(body.Phone),
            body.Username is null ? "" : Identifiers.NormalizeUsername(body.Username),
            body.Unit,
            body.PartyMember ?? false,
            Items(body.Skills),
            Items(body.Availability),
            Items(body.Offers),
            body.UnitKind);
        var errors = ApplicationRules.Check(spec, body.Password)
            .Require(body.Kind is not null, "kind", "'kind' must be person or unit.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (await call.Scope.Places.Find(spec.CommunityId) is not { Kind: PlaceKind.Community })
        {
            return Problems.Invalid("communityId", $"'{spec.CommunityId}' is not a community.");
        }

        if (phoneLimiter.RefuseApplication(spec.Phone, call.Http) is { } limited)
        {
            return limited;
        }

        // The account first: it holds the password (hashed) and decides whether the username is free.
        var account = await call.Grains.GetGrain<IAccountGrain>(GrainKeys.Account(spec.Username)).Create(
            new NewAccount(spec.Username, body.Password!, spec.Name, AccountRole.Applicant, spec.CommunityId, spec.Skills),
            spec.Username);
        if (account.Failure is { Kind: FailureKind.Conflict })
        {
            return Problems.From(new Failure(FailureKind.Conflict, "usernameTaken", $"The username '{spec.Username}' is taken: choose another.", "username"));
        }

        if (account.Failure is { } refused)
        {
            return Problems.From(refused);
        }

        var id = Guid.NewGuid().ToString("N");
        var submitted = await call.Grains.GetGrain<IApplicationGrain>(GrainKeys.Application(id)).Submit(spec);
        return submitted.Value is { } application
            ? TypedResults.Created("/api/applications/mine", ApplicationRules.StatusOf(application))
            : Problems.From(submitted.Failure!);
    }

    private static async Task<Results<Ok<ApplicationStatusView>, ProblemHttpResult>> Mine([AsParameters] CallContext call)
    {
        var caller = call.Caller;
        var line = await call.Grains.GetGrain<ICommunityApplicationsGrain>(GrainKeys.CommunityApplications(caller.PlaceId)).FindByUsername(caller.Username);
        var application = line is null ? null : await call.Grains.GetGrain<IApplicationGrain>(GrainKeys.Application(line.Id)).Get();
        return application is null
            ? Problems.NotFound("Application of", caller.Username)
            : TypedResults.Ok(ApplicationRules.StatusOf(application));
    }

    private static async Task<Results<Ok<ApplicationPage>, ValidationProblem, ProblemHttpResult>> List(
        string id, string? status, string? page, string? pageSize, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors();
        var wanted = Query.ParseEnum<ApplicationStatus>(status, "status", errors);
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
            community => call.Grains.GetGrain<ICommunityApplicationsGrain>(GrainKeys.CommunityApplications(community)).List(wanted),
            line => line.SubmittedAt, line => line.Id,
            applicationId => call.Grains.GetGrain<IApplicationGrain>(GrainKeys.Application(applicationId)).Get(),
            paging);
        return TypedResults.Ok(new ApplicationPage(items, total, paging.Number, paging.Size));
    }

    private static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> Approve(
        string id, [AsParameters] CallContext call, ApplicationAdmission admission)
    {
        var (grain, refused) = await InScope(id, call);
        if (refused is not null)
        {
            return refused;
        }

        var approved = await grain!.Approve(call.Caller.Actor);
        if (approved.Value is not { } application)
        {
            return Problems.From(approved.Failure!);
        }

        // After the decision is stored: approving again (a retry) finishes an admission a failure interrupted.
        var admitted = await admission.Admit(application);
        return admitted is null ? TypedResults.Ok(application) : Problems.From(admitted);
    }

    private static async Task<Results<Ok<ApplicationView>, ValidationProblem, ProblemHttpResult>> Reject(
        string id, RejectApplicationRequest body, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors().RequireText(body.Reason, "reason", ApplicationRules.MaxReason);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var (grain, refused) = await InScope(id, call);
        if (refused is not null)
        {
            return refused;
        }

        var rejected = await grain!.Reject(call.Caller.Actor, body.Reason!);
        return rejected switch
        {
            { Value: { } application } => TypedResults.Ok(application),
            { Failure: { Kind: FailureKind.Invalid, Field: { } field } failure } => Problems.Invalid(field, failure.Detail),
            _ => Problems.From(rejected.Failure!),
        };
    }

    private static async Task<Results<Ok<ImmutableArray<ApplicationEvent>>, ProblemHttpResult>> Trail(string id, [AsParameters] CallContext call)
    {
        var (grain, refused) = await InScope(id, call);
        return refused is not null ? refused : TypedResults.Ok(await grain!.GetTrail());
    }

    /// <summary>The application's grain, when it exists and its community is in the caller's scope: who may read it may decide it.</summary>
    private static async Task<(IApplicationGrain? Grain, ProblemHttpResult? Refused)> InScope(string id, CallContext call)
    {
        var grain = Identifiers.IsValidPlaceId(id) ? call.Grains.GetGrain<IApplicationGrain>(GrainKeys.Application(id)) : null;
        if (grain is null || await grain.Get() is not { } application)
        {
            return (null, Problems.NotFound("Application", id));
        }

        var scoped = await call.Scope.Place(call.Caller, application.CommunityId);
        return scoped.Failure is { } outside ? (null, Problems.From(outside)) : (grain, null);
    }

    private static ImmutableArray<string> Items(string?[]? items) => items is null ? [] : [.. items.Select(i => i?.Trim() ?? "")];
}
