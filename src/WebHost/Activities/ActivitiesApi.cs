using Dispatch.Accounts;
using Dispatch.Activities;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Activities;

/// <summary>An activity: a request of kind activity with its event section (when, where, who organises).</summary>
public sealed record CreateActivityBody(
    string? CommunityId,
    string? Title,
    string? Description,
    string[]? Categories,
    int? Places,
    int? Points,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string? Venue,
    string? Organiser,
    BeneficiaryBody? Beneficiary);

public sealed record CheckInBody([property: SecretData] string? Code)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>
/// Activities as events. An activity is a request of kind activity (its places, points, audit
/// trail and escalation are the request's) with an event section held by the activity grain of the
/// same id: the roster with its waiting list, the check-in code and attendance. Every route first
/// finds the request the caller may see (404, then 403), and the grain decides the rest.
/// </summary>
public static class ActivitiesApi
{
    public static RouteGroupBuilder MapActivitiesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/activities").WithTags("Activities");
        group.MapPost("/", Create).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Publish an activity with its start, end, venue and organiser in a community inside your scope (staff).");
        group.MapGet("/{id:guid}", Get)
            .WithSummary("An activity's event: window, venue, organiser, places taken, waiting list, person-times, no-shows, and your own line.");
        group.MapPost("/{id:guid}/signup", (Guid id, [AsParameters] CallContext call) =>
                Change(id, call, (activity, actor) => activity.SignUp(actor)))
            .RequireAuthorization(AuthenticationSetup.VolunteerPolicy)
            .WithSummary("Sign up for a place (volunteers of the activity's community); when every place is taken, join the waiting list.");
        group.MapPost("/{id:guid}/withdraw", (Guid id, [AsParameters] CallContext call) =>
                Change(id, call, (activity, actor) => activity.Withdraw(actor)))
            .RequireAuthorization(AuthenticationSetup.VolunteerPolicy)
            .WithSummary("Give your place back (or leave the waiting list) before checking in; a freed place goes to the first who waits.");
        group.MapGet("/{id:guid}/check-in-code", GetCode)
            .WithSummary("The check-in code to show at the venue (the organiser, or staff in scope), only while the event is underway; it changes every 10 minutes.");
        group.MapPost("/{id:guid}/check-in", CheckIn).RequireAuthorization(AuthenticationSetup.VolunteerPolicy)
            .WithSummary("Check in at the venue with the organiser's code (a volunteer holding a place), during the event only.");
        group.MapPost("/{id:guid}/check-out", (Guid id, [AsParameters] CallContext call) =>
                Change(id, call, (activity, actor) => activity.CheckOut(actor)))
            .RequireAuthorization(AuthenticationSetup.VolunteerPolicy)
            .WithSummary("Check out when leaving (a volunteer who checked in); service time runs from check-in to check-out.");
        group.MapGet("/{id:guid}/attendance", GetAttendance)
            .WithSummary("The roster: who signed up, waits, checked in and out, or did not come, with person-times and service minutes (the organiser, or staff in scope).");
        return api;
    }

    private static async Task<Results<Created<ActivityView>, ValidationProblem, ProblemHttpResult>> Create(
        CreateActivityBody body, [AsParameters] CallContext call, HttpRequest http)
    {
        var details = new EventDetails(body.StartsAt ?? default, body.EndsAt ?? default, body.Venue ?? "", body.Organiser ?? "");
        var errors = ActivityLimits.Validate(details);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        // The scope first, so that nothing about accounts is told to staff outside it.
        if ((await call.Scope.Community(call.Caller, body.CommunityId ?? "")).Failure is { } outside)
        {
            return Problems.From(outside);
        }

        var organiser = Identifiers.NormalizeUsername(details.Organiser);
        if (await call.Grains.GetGrain<IAccountGrain>(GrainKeys.Account(organiser)).Get() is not { Disabled: false })
        {
            return Problems.Invalid("organiser", $"'{organiser}' is not an account that can organise an activity.");
        }

        var id = http.Headers.TryGetValue(IdempotencyMiddleware.Header, out var key) && key.ToString() is { Length: > 0 } k
            ? IdempotencyMiddleware.IdFor(call.Caller.Username, k)
            : Guid.NewGuid();

        // Nobody in particular benefits from a group activity: unless named, it serves those who come to the venue.
        var request = new CreateRequestBody(
            body.CommunityId, RequestKind.Activity, body.Title, body.Description, body.Categories, Urgency.Normal,
            body.Places, body.Points, body.Beneficiary ?? new BeneficiaryBody(details.Venue.Trim(), null, null));
        var (created, invalid, refused) = await RequestsApi.Publish(request, id, call);
        if (created is null)
        {
            return invalid is not null ? Problems.Invalid(invalid) : Problems.From(refused!);
        }

        var scheduled = await call.Grains.GetGrain<IActivityGrain>(id).Schedule(
            new NewActivityEvent(created.CommunityId, created.Title, created.Places, details with { Organiser = organiser }), call.Caller.Actor);
        return scheduled.Value is { } activity
            ? TypedResults.Created($"/api/activities/{activity.Id}", activity)
            : Problems.From(scheduled.Failure!);
    }

    private static async Task<Results<Ok<ActivityView>, ProblemHttpResult>> Get(Guid id, [AsParameters] CallContext call)
    {
        if (await call.Scope.Request(call.Caller, id) is { Failure: { } refused })
        {
            return Problems.From(refused);
        }

        return await call.Grains.GetGrain<IActivityGrain>(id).Get(call.Caller.Username) is { } activity
            ? TypedResults.Ok(activity)
            : NoEvent(id);
    }

    private static async Task<Results<Ok<CheckInCodeView>, ProblemHttpResult>> GetCode(Guid id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Request(call.Caller, id);
        if (found.Value is not { } request)
        {
            return Problems.From(found.Failure!);
        }

        var code = await call.Grains.GetGrain<IActivityGrain>(id).CurrentCode(call.Caller.Actor, request.Access == RequestAccess.Staff);
        return code.Value is { } shown ? TypedResults.Ok(shown) : Problems.From(code.Failure!);
    }

    private static async Task<Results<Ok<AttendanceList>, ProblemHttpResult>> GetAttendance(Guid id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Request(call.Caller, id);
        if (found.Value is not { } request)
        {
            return Problems.From(found.Failure!);
        }

        var list = await call.Grains.GetGrain<IActivityGrain>(id).Attendance(call.Caller.Actor, request.Access == RequestAccess.Staff);
        return list.Value is { } shown ? TypedResults.Ok(shown) : Problems.From(list.Failure!);
    }

    private static Task<Results<Ok<ActivityView>, ValidationProblem, ProblemHttpResult>> CheckIn(
        Guid id, CheckInBody? body, [AsParameters] CallContext call)
    {
        var code = body?.Code?.Trim();
        var errors = new ValidationErrors()
            .Require(code is { Length: > 0 and <= ActivityLimits.MaxCode }, "code", $"'code' is required: the organiser's check-in code (at most {ActivityLimits.MaxCode} characters).");
        return Change(id, call, (activity, actor) => activity.CheckIn(actor, code!), errors);
    }

    /// <summary>Refuses invalid input, then a request the caller may not see; the grain decides the rest.</summary>
    private static async Task<Results<Ok<ActivityView>, ValidationProblem, ProblemHttpResult>> Change(
        Guid id, CallContext call, Func<IActivityGrain, Actor, Task<Outcome<ActivityView>>> change, ValidationErrors? errors = null)
    {
        if (errors is { IsEmpty: false })
        {
            return Problems.Invalid(errors);
        }

        if (await call.Scope.Request(call.Caller, id) is { Failure: { } refused })
        {
            return Problems.From(refused);
        }

        var outcome = await change(call.Grains.GetGrain<IActivityGrain>(id), call.Caller.Actor);
        if (outcome.Failure is { Code: "notFound" })
        {
            return NoEvent(id);
        }

        return outcome.Value is { } changed ? TypedResults.Ok(changed) : Problems.From(outcome.Failure!);
    }

    private static ProblemHttpResult NoEvent(Guid id) =>
        Problems.From(new Failure(FailureKind.NotFound, "notFound", $"Request '{id}' is not an activity with an event."));
}
