using System.Collections.Immutable;
using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Queries;
using Dispatch.Volunteers;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Volunteers;

/// <summary>
/// One volunteer as the desk lists them: names, load, and whether their account can sign in (and
/// must first change a password staff gave them: one of a sheet import, or a reset).
/// </summary>
public sealed record VolunteerListItem(
    string Username,
    string DisplayName,
    string CommunityId,
    ImmutableArray<string> Skills,
    int ActiveClaims,
    int CompletedCount,
    DateTimeOffset RegisteredAt,
    bool Disabled,
    DateTimeOffset? LockedUntil,
    bool MustChangePassword = false);

/// <summary>A volunteer's own profile as put: every field replaces what was there (an empty list clears it).</summary>
public sealed record ProfileBody(string?[]? Skills, string?[]? Availability, string? Unit);

/// <summary>The community a volunteer moves to.</summary>
public sealed record MoveVolunteerBody(string? CommunityId);

public sealed record VolunteerPage(ImmutableArray<VolunteerListItem> Items, int Total, int Page, int PageSize);

public static class VolunteersApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 200;
    public const int MaxQuery = 100;

    public static RouteGroupBuilder MapVolunteersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/volunteers").WithTags("Volunteers");
        group.MapGet("/{username}", GetVolunteer)
            .WithSummary("A volunteer's profile, active claims and recent history: themselves, and staff in call.Scope.");
        group.MapGet("/{username}/ratings", GetRatings).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The ratings a volunteer received for verified requests in their community: how many, the average and the latest five with the request and the verifier's comment (staff in scope).");
        group.MapPut("/{username}/profile", ChangeProfile)
            .WithSummary("A volunteer changes their own profile: skills (the matcher reads them), when they can help, work unit (the volunteer themself only).");
        group.MapPut("/{username}/community", Move).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Move a volunteer to another community (staff, both in scope; admins anywhere): their claims are released and offers withdrawn as when disabled, and they join the new community's candidates.");
        api.MapGet("/places/{id}/volunteers", List).WithTags("Volunteers").RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The volunteers registered at or below a place (staff in scope), by display name; q searches the display name and username; paged ({items, total, page, pageSize}).");
        return api;
    }

    private static async Task<Results<Ok<VolunteerRatingsView>, ProblemHttpResult>> GetRatings(
        string username, [AsParameters] CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        var found = await call.Scope.Volunteer(call.Caller, username, allowSelf: false);
        return found.Value is { } volunteer
            ? TypedResults.Ok(await VolunteerRatings.Read(volunteer, call, queries, cancellationToken))
            : Problems.From(found.Failure!);
    }

    private static async Task<Results<Ok<VolunteerPage>, ValidationProblem, ProblemHttpResult>> List(
        string id, string? q, string? page, string? pageSize, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors()
            .Require(q is null || q.Length <= MaxQuery, "q", $"'q' must be at most {MaxQuery} characters.");
        var paging = Query.Paging(page, pageSize, DefaultPageSize, MaxPageSize, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        // Each community's board knows its volunteers' usernames (the disabled ones too, to be
        // enabled again); their grains know the rest.
        var communities = await call.Scope.Places.CommunitiesUnder(place);
        var usernames = (await Task.WhenAll(communities.Select(c => call.Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(c)))
                .SelectMany(c => new[] { c.GetVolunteers(), c.GetDisabledVolunteers() })))
            .SelectMany(u => u)
            .Distinct(StringComparer.Ordinal);
        var volunteers = (await Task.WhenAll(usernames.Select(u => call.Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(u)).Get())))
            .OfType<VolunteerView>();

        var text = q?.Trim();
        var matching = volunteers
            .Where(v => string.IsNullOrEmpty(text)
                || v.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase)
                || v.Username.Contains(text, StringComparison.OrdinalIgnoreCase))
            .OrderBy(v => v.DisplayName, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("zh-CN"), ignoreCase: true))
            .ThenBy(v => v.Username, StringComparer.Ordinal)
            .ToList();
        var shown = paging.Of(matching).ToList();
        var accounts = await Task.WhenAll(shown.Select(v => call.Grains.GetGrain<IAccountGrain>(GrainKeys.Account(v.Username)).Get()));
        var items = shown.Zip(accounts, (v, a) => new VolunteerListItem(
            v.Username, v.DisplayName, v.CommunityId, v.Skills, v.ActiveClaims.Length, v.CompletedCount, v.RegisteredAt,
            a?.Disabled ?? false, a?.LockedUntil, a?.MustChangePassword ?? false)).ToImmutableArray();
        return TypedResults.Ok(new VolunteerPage(items, matching.Count, paging.Number, paging.Size));
    }

    private static async Task<Results<Ok<VolunteerView>, ValidationProblem, ProblemHttpResult>> ChangeProfile(
        string username, ProfileBody body, [AsParameters] CallContext call)
    {
        var change = VolunteerProfileRules.From(body.Skills, body.Availability, body.Unit);
        var errors = VolunteerProfileRules.Check(change);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        // Scope first (404, then 403 outside it); the grain refuses anyone but the volunteer.
        var found = await call.Scope.Volunteer(call.Caller, username);
        if (found.Value is not { } volunteer)
        {
            return Problems.From(found.Failure!);
        }

        var changed = await call.Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(volunteer.Username)).ChangeProfile(change, call.Caller.Actor);
        return changed.Value is { } view ? TypedResults.Ok(view) : Problems.From(changed.Failure!);
    }

    private static async Task<Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult>> Move(
        string username, MoveVolunteerBody body, [AsParameters] CallContext call, Accounts.AccountRegistration registration)
    {
        var errors = new ValidationErrors().RequireText(body.CommunityId, "communityId", Identifiers.MaxLength);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.VolunteerMove(call.Caller, username, body.CommunityId!);
        if (found.Value is not { } move)
        {
            return found.Failure is { Kind: FailureKind.Invalid, Field: { } field } invalid
                ? Problems.Invalid(field, invalid.Detail)
                : Problems.From(found.Failure!);
        }

        // The same move as an admin's role change to a volunteer elsewhere: the account's registrations follow it.
        var moved = await call.Grains.GetGrain<IAccountGrain>(GrainKeys.Account(move.Account.Username))
            .ChangeRole(AccountRole.Volunteer, move.Community.Id, call.Caller.Username);
        if (moved.Value is not { } account)
        {
            return Problems.From(moved.Failure!);
        }

        await registration.EnsureRegistered(account);
        return TypedResults.Ok(account);
    }

    private static async Task<Results<Ok<VolunteerView>, ProblemHttpResult>> GetVolunteer(
        string username, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Volunteer(call.Caller, username);
        return found.Value is { } volunteer ? TypedResults.Ok(volunteer) : Problems.From(found.Failure!);
    }
}
