using System.Collections.Immutable;
using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Organisations;
using Dispatch.Requests;
using Dispatch.Suggestions;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Places;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Suggestions;

public sealed record FileSuggestionBody(SuggestionKind? Kind, string? Title, string? Content, string? PlaceId);

/// <summary>集中交办: a batch of suggestions handed to one department with one deadline.</summary>
public sealed record SuggestionHandoverBody(string? DepartmentId, string[]? SuggestionIds, DateTimeOffset? Deadline);

public sealed record SuggestionHandoverResult(string DepartmentId, DateTimeOffset Deadline, ImmutableArray<SuggestionView> Suggestions);

public sealed record SuggestionAnswerBody(string? Answer);

public sealed record SuggestionRatingBody(SuggestionRating? Rating);

/// <param name="Title">null takes the title away.</param>
public sealed record RepresentativeBody(RepresentativeTitle? Title);

public sealed record DepartmentBody(string? DepartmentId);

/// <summary>A department's figures for the period, with its name.</summary>
public sealed record DepartmentSuggestionLine(
    string DepartmentId,
    string DepartmentName,
    int HandedOver,
    int Answered,
    int AnsweredOnTime,
    int Escalated,
    int Rated,
    int Satisfied,
    int BasicallySatisfied,
    int Dissatisfied,
    double? Satisfaction);

public sealed record SuggestionStatisticsView(string PlaceId, DateTimeOffset From, DateTimeOffset To, ImmutableArray<DepartmentSuggestionLine> Departments);

/// <summary>
/// Representatives' suggestions and proposals (两代表一委员) handed over to departments in batches
/// (集中交办). Who may do what is <see cref="SuggestionScope"/>: who may see a suggestion asked through
/// <see cref="ScopeGuard"/>; who may file and who may answer, and the order of things, the suggestion grain's.
/// </summary>
public static class SuggestionsApi
{
    /// <summary>
    /// Mapped outside the <c>/api</c> group, whose default policy refuses department accounts: each
    /// route names its policy, and only the department's routes admit them.
    /// </summary>
    public static WebApplication MapSuggestionsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        var group = api.MapGroup("/suggestions").WithTags("Suggestions");
        group.MapPost("/", File).RequireAuthorization()
            .WithSummary("File a suggestion or proposal about a place (an account with a representative title).");
        group.MapGet("/", List).RequireAuthorization()
            .WithSummary("Suggestions: a representative's own; staff those about places in their scope (mine=true: the caller's own); status filters.");
        group.MapGet("/stats", Statistics).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Per department, the suggestions about places at or below placeId handed over in the period [from, to): answered, on time, escalated, ratings (staff in scope).");
        group.MapPost("/handovers", HandOver).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Hand a batch of filed suggestions (staff in scope) to a department with a deadline; all or nothing.");
        group.MapGet("/{id}", Get).RequireAuthorization(AuthenticationSetup.SuggestionsPolicy)
            .WithSummary("A suggestion: its author, staff in scope, and the department it was handed to.");
        group.MapGet("/{id}/history", History).RequireAuthorization(AuthenticationSetup.SuggestionsPolicy)
            .WithSummary("A suggestion's history: filed, handed over, escalated (with the level and place), answered, rated.");
        group.MapPost("/{id}/answer", Answer).RequireAuthorization(AuthenticationSetup.SuggestionsPolicy)
            .WithSummary("The department's answer (办理结果): an account of the department it was handed to.");
        group.MapPost("/{id}/rating", Rate).RequireAuthorization()
            .WithSummary("The representative rates the answer: satisfied, basicallySatisfied or dissatisfied (满意/基本满意/不满意); once.");

        api.MapGet("/departments/{id}/suggestions", Queue).WithTags("Suggestions").RequireAuthorization(AuthenticationSetup.SuggestionsPolicy)
            .WithSummary("A department's queue: the suggestions handed to it (its own accounts, admins; staff whose scope holds one of its communities, only the suggestions in their scope).");
        api.MapPut("/accounts/{username}/representative", SetRepresentative).WithTags("Suggestions").RequireAuthorization(AuthenticationSetup.AdminPolicy)
            .WithSummary("Give an account a representative title (partyCongress, peoplesCongress, cppcc) or take it away with null (admins).");
        api.MapPut("/accounts/{username}/department", AssignDepartment).WithTags("Suggestions").RequireAuthorization(AuthenticationSetup.AdminPolicy)
            .WithSummary("Make an account staff of a department (role department): it reads and answers that department's queue, nothing else (admins).");
        return app;
    }

    private static async Task<Results<Created<SuggestionView>, ValidationProblem, ProblemHttpResult>> File(
        FileSuggestionBody body, [AsParameters] CallContext call)
    {
        var spec = new NewSuggestion(body.Kind ?? SuggestionKind.Suggestion, body.Title ?? "", body.Content ?? "", body.PlaceId ?? "");
        var errors = SuggestionRules.Check(spec);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (await call.Scope.Places.Find(spec.PlaceId) is not { } place)
        {
            return Problems.Invalid("placeId", $"Place '{spec.PlaceId}' does not exist.");
        }

        // The grain files under the title on the caller's account, and refuses an account without one.
        var id = Guid.NewGuid().ToString("N");
        var outcome = await call.Grains.GetGrain<ISuggestionGrain>(SuggestionKeys.Suggestion(id)).File(spec, place.Path, call.Caller.Actor);
        return outcome.Value is { } filed
            ? TypedResults.Created($"/api/suggestions/{filed.Id}", filed)
            : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<ImmutableArray<SuggestionView>>, ValidationProblem>> List(
        string? status, bool? mine, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors();
        var wanted = Query.ParseEnum<SuggestionStatus>(status, "status", errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var caller = call.Caller;
        var all = await Index(call).List();
        var own = mine == true || !(caller.IsAdmin || caller.Role == AccountRole.Staff);
        return TypedResults.Ok(all
            .Where(s => own
                ? string.Equals(s.Author, caller.Username, StringComparison.Ordinal)
                : SuggestionScope.Of(caller, s, null) == SuggestionAccess.Staff)
            .Where(s => wanted is null || s.Status == wanted)
            .ToImmutableArray());
    }

    private static async Task<Results<Ok<SuggestionView>, ProblemHttpResult>> Get(string id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Suggestion(call.Caller, id);
        return found.Value is { } scoped ? TypedResults.Ok(scoped.View) : Problems.From(found.Failure!);
    }

    private static async Task<Results<Ok<ImmutableArray<SuggestionEvent>>, ProblemHttpResult>> History(string id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Suggestion(call.Caller, id);
        return found.Value is not null
            ? TypedResults.Ok(await call.Grains.GetGrain<ISuggestionGrain>(SuggestionKeys.Suggestion(id)).GetHistory())
            : Problems.From(found.Failure!);
    }

    private static async Task<Results<Ok<SuggestionHandoverResult>, ValidationProblem, ProblemHttpResult>> HandOver(
        SuggestionHandoverBody body, [AsParameters] CallContext call, TimeProvider time)
    {
        var ids = body.SuggestionIds?.Select(id => id ?? "").ToArray() ?? [];
        var errors = new ValidationErrors()
            .RequireText(body.DepartmentId, "departmentId", Identifiers.MaxLength)
            .Require(body.Deadline is not null, "deadline", "'deadline' is required: when the department must have answered.");
        if (body.Deadline is { } due)
        {
            foreach (var (field, messages) in SuggestionRules.CheckHandover(ids, due, time.GetUtcNow()).ToDictionary())
            {
                errors.Add(field, messages[0]);
            }
        }
        else if (ids.Length == 0)
        {
            errors.Add("suggestionIds", "'suggestionIds' must list at least one suggestion.");
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        // Any department: a county's departments serve towns and communities well outside their own list.
        if (await call.Scope.FindOrganisation(body.DepartmentId!) is not { Kind: OrganisationKind.Department })
        {
            return Problems.Invalid("departmentId", $"'{body.DepartmentId}' is not a department.");
        }

        // Every suggestion is checked before any is handed over, so a refusal changes nothing.
        var deadline = body.Deadline!.Value;
        foreach (var id in ids)
        {
            var found = await call.Scope.SuggestionToHandOver(call.Caller, id);
            if (found.Value is not { } view)
            {
                return Problems.From(found.Failure!);
            }

            if (view.Status != SuggestionStatus.Filed && !(view.DepartmentId == body.DepartmentId && view.Deadline == deadline))
            {
                return Problems.From(Failure.Conflict("alreadyHandedOver", $"Suggestion '{id}' was already handed over to department '{view.DepartmentId}'."));
            }
        }

        // Unanswered suggestions climb as requests of kind case do: the same policy, the same ladder.
        var policy = await call.Grains.GetGrain<IPolicyGrain>(GrainKeys.Policies).Get(RequestKind.Case, Urgency.Normal);
        var handover = new SuggestionHandover(body.DepartmentId!, deadline, policy.EscalateEvery);
        var handed = ImmutableArray.CreateBuilder<SuggestionView>(ids.Length);
        foreach (var id in ids)
        {
            var outcome = await call.Grains.GetGrain<ISuggestionGrain>(SuggestionKeys.Suggestion(id)).HandOver(handover, call.Caller.Username);
            if (outcome.Failure is { } failure)
            {
                return Problems.From(failure);
            }

            handed.Add(outcome.Value!);
        }

        return TypedResults.Ok(new SuggestionHandoverResult(handover.DepartmentId, deadline, handed.ToImmutable()));
    }

    private static async Task<Results<Ok<SuggestionView>, ValidationProblem, ProblemHttpResult>> Answer(
        string id, SuggestionAnswerBody body, [AsParameters] CallContext call)
    {
        var errors = SuggestionRules.CheckAnswer(body.Answer);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        // Who may see it is the scope guard's (404, then 403 outOfScope); only its department answers, the grain's.
        var found = await call.Scope.Suggestion(call.Caller, id);
        if (found.Failure is { } refused)
        {
            return Problems.From(refused);
        }

        return Result(await call.Grains.GetGrain<ISuggestionGrain>(SuggestionKeys.Suggestion(id)).Answer(body.Answer!, call.Caller.Actor));
    }

    private static async Task<Results<Ok<SuggestionView>, ValidationProblem, ProblemHttpResult>> Rate(
        string id, SuggestionRatingBody body, [AsParameters] CallContext call)
    {
        if (body.Rating is not { } rating || !Enum.IsDefined(rating))
        {
            return Problems.Invalid("rating", "'rating' must be one of satisfied, basicallySatisfied, dissatisfied.");
        }

        var found = await call.Scope.Suggestion(call.Caller, id);
        if (found.Failure is { } refused)
        {
            return Problems.From(refused);
        }

        return Result(await call.Grains.GetGrain<ISuggestionGrain>(SuggestionKeys.Suggestion(id)).Rate(rating, call.Caller.Username));
    }

    private static async Task<Results<Ok<ImmutableArray<SuggestionView>>, ValidationProblem, ProblemHttpResult>> Queue(
        string id, string? status, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors();
        var wanted = Query.ParseEnum<SuggestionStatus>(status, "status", errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var department = await call.Scope.Department(call.Caller, id);
        if (department.Failure is { } refused)
        {
            return Problems.From(refused);
        }

        var caller = call.Caller;
        var all = await Index(call).List();
        return TypedResults.Ok(all
            .Where(s => string.Equals(s.DepartmentId, id, StringComparison.Ordinal))
            .Where(s => caller.Role != AccountRole.Staff || SuggestionScope.Of(caller, s, null) == SuggestionAccess.Staff)
            .Where(s => wanted is null || s.Status == wanted)
            .ToImmutableArray());
    }

    private static async Task<Results<Ok<SuggestionStatisticsView>, ValidationProblem, ProblemHttpResult>> Statistics(
        string? placeId, string? from, string? to, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors()
            .RequireText(placeId, "placeId", Identifiers.MaxLength)
            .Require(!string.IsNullOrWhiteSpace(from), "from", "'from' is required: the first day of the period, such as 2026-11-01.")
            .Require(!string.IsNullOrWhiteSpace(to), "to", "'to' is required: the day after the period, such as 2026-12-01.");
        var (start, end) = RequestListParameters.Period(from, to, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var place = await call.Scope.Place(call.Caller, placeId!);
        if (place.Failure is { } refused)
        {
            return Problems.From(refused);
        }

        var all = await Index(call).List();
        var figures = SuggestionStatistics.ByDepartment(all.Where(s => s.PlacePath.Contains(placeId!, StringComparer.Ordinal)), start!.Value, end!.Value);
        var lines = ImmutableArray.CreateBuilder<DepartmentSuggestionLine>(figures.Length);
        foreach (var f in figures)
        {
            var name = (await call.Scope.FindOrganisation(f.DepartmentId))?.Name ?? f.DepartmentId;
            lines.Add(new DepartmentSuggestionLine(f.DepartmentId, name, f.HandedOver, f.Answered, f.AnsweredOnTime, f.Escalated,
                f.Rated, f.Satisfied, f.BasicallySatisfied, f.Dissatisfied, f.Satisfaction));
        }

        return TypedResults.Ok(new SuggestionStatisticsView(placeId!, start.Value, end.Value, lines.ToImmutable()));
    }

    private static async Task<Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult>> SetRepresentative(
        string username, RepresentativeBody body, [AsParameters] CallContext call)
    {
        if (body.Title is { } title && !Enum.IsDefined(title))
        {
            return Problems.Invalid("title", "'title' must be one of partyCongress, peoplesCongress, cppcc, or null.");
        }

        var account = await call.Scope.Account(call.Caller, username);
        if (account.Failure is { } refused)
        {
            return Problems.From(refused);
        }

        return Result(await call.Grains.GetGrain<IAccountGrain>(GrainKeys.Account(account.Value!.Username)).SetRepresentative(body.Title, call.Caller.Username));
    }

    private static async Task<Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult>> AssignDepartment(
        string username, DepartmentBody body, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors().RequireText(body.DepartmentId, "departmentId", Identifiers.MaxLength);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (await call.Scope.FindOrganisation(body.DepartmentId!) is not { Kind: OrganisationKind.Department } department)
        {
            return Problems.Invalid("departmentId", $"'{body.DepartmentId}' is not a department.");
        }

        var account = await call.Scope.ManagedAccount(call.Caller, username);
        if (account.Failure is { } refused)
        {
            return Problems.From(refused);
        }

        return Result(await call.Grains.GetGrain<IAccountGrain>(GrainKeys.Account(account.Value!.Username)).AssignDepartment(department.Id, call.Caller.Username));
    }

    private static ISuggestionIndexGrain Index(CallContext call) => call.Grains.GetGrain<ISuggestionIndexGrain>(SuggestionKeys.Index);

    private static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Result<T>(Outcome<T> outcome)
        where T : class =>
        outcome.Value is { } value ? TypedResults.Ok(value) : Problems.From(outcome.Failure!);
}
