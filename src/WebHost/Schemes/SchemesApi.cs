using System.Collections.Immutable;
using System.Globalization;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Schemes;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Schemes;

/// <summary>One item of a scheme as sent: see <see cref="PointsRule"/>.</summary>
public sealed record PointsRuleBody(string? Rule, int? Points, int? Cap, CapPeriod? Period, int? MaxPoints, DateOnly? EffectiveFrom);

/// <summary>A new version of a place's points scheme: from when (today without), and its rules.</summary>
public sealed record PointsSchemeBody(DateOnly? EffectiveFrom, ImmutableArray<PointsRuleBody?>? Rules);

/// <summary>A standing role given to a volunteer of the community, from a day (today without).</summary>
public sealed record AssignStandingRoleBody(string? Username, string? Role, DateOnly? From);

/// <summary>A standing role ended, on its last day (today without).</summary>
public sealed record EndStandingRoleBody(string? Username, string? Role, DateOnly? On);

/// <summary>The month to post standing roles for: <c>2026-11</c>.</summary>
public sealed record StandingRoleRunBody(string? Month);

/// <summary>Points schemes (积分管理办法) set at counties, towns and communities, and a community's standing roles with their monthly run.</summary>
public static class SchemesApi
{
    public static RouteGroupBuilder MapSchemesApi(this RouteGroupBuilder api)
    {
        var places = api.MapGroup("/places").WithTags("Points schemes");
        places.MapGet("/{id}/points-scheme", GetScheme)
            .WithSummary("The versions of the points scheme a place set and the rules in force there on a day (on; today without), inherited ones included, each naming its scheme and version: staff in scope, volunteers of communities below.");
        places.MapPut("/{id}/points-scheme", SetScheme).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Add a version of a county's, town's or community's points scheme (staff in scope): a community overrides only rules set above it, within the limits set there; past postings stay as they were.");
        places.MapGet("/{id}/points/standing-roles", GetStandingRoles).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("A community's standing roles (业委会委员, 楼栋长…), ended ones included (staff in scope).");
        places.MapPost("/{id}/points/standing-roles", AssignStandingRole).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Give a volunteer of the community a standing role from a day (staff in scope).");
        places.MapPost("/{id}/points/standing-roles/end", EndStandingRole).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("End a standing role on its last day (staff in scope); it stays on record for the months it was held.");
        places.MapPost("/{id}/points/standing-roles/run", RunStandingRoles).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Post a month's standing roles to their holders' ledgers under the scheme in force on its first day (staff in scope): once per person, role and month, however often it is run.");
        return api;
    }

    private static async Task<Results<Ok<PointsSchemeView>, ValidationProblem, ProblemHttpResult>> GetScheme(
        string id, string? on, [AsParameters] CallContext call, TimeProvider time)
    {
        var errors = new ValidationErrors();
        var day = PointsCalendar.DayOf(time.GetUtcNow());
        if (on is not null && !DateOnly.TryParseExact(on, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            errors.Add("on", "'on' must be a day: yyyy-MM-dd.");
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.BrowsedPlace(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var grain = call.Grains.GetGrain<IPointsSchemeGrain>(SchemeKeys.For(place.Id));
        var versions = await grain.GetVersions();
        return TypedResults.Ok(new PointsSchemeView(place.Id, day, [.. versions.Reverse()], await grain.Effective(place, day)));
    }

    private static async Task<Results<Ok<PointsSchemeVersion>, ValidationProblem, ProblemHttpResult>> SetScheme(
        string id, PointsSchemeBody body, [AsParameters] CallContext call, TimeProvider time)
    {
        var errors = new ValidationErrors().Require(body.Rules is not null, "rules", "'rules' is required (an empty list sets a scheme with no rules).");
        var rules = body.Rules ?? [];
        for (var i = 0; i < rules.Length; i++)
        {
            errors.Require(rules[i] is not null, $"rules[{i}]", "A rule may not be null.")
                .Require(rules[i] is null || !string.IsNullOrWhiteSpace(rules[i]!.Rule), $"rules[{i}].rule", "'rule' is required.")
                .Require(rules[i] is null || rules[i]!.Points is not null, $"rules[{i}].points", "'points' is required.");
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var draft = new SchemeDraft(
            body.EffectiveFrom ?? PointsCalendar.DayOf(time.GetUtcNow()),
            [.. rules.Select(r => new PointsRule(r!.Rule!.Trim(), r.Points!.Value, r.Cap, r.Period ?? CapPeriod.Month, r.MaxPoints, r.EffectiveFrom))]);
        var outcome = await call.Grains.GetGrain<IPointsSchemeGrain>(SchemeKeys.For(place.Id)).Set(place, draft, call.Caller.Actor);
        return outcome.Value is { } version ? TypedResults.Ok(version) : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<StandingRolesView>, ProblemHttpResult>> GetStandingRoles(string id, [AsParameters] CallContext call)
    {
        var found = await Community(id, call);
        return found.Value is { } community
            ? TypedResults.Ok(await call.Grains.GetGrain<IStandingRolesGrain>(SchemeKeys.StandingRoles(community.Id)).Get())
            : Problems.From(found.Failure!);
    }

    private static async Task<Results<Created<StandingRole>, ValidationProblem, ProblemHttpResult>> AssignStandingRole(
        string id, AssignStandingRoleBody body, [AsParameters] CallContext call, TimeProvider time)
    {
        var errors = new ValidationErrors()
            .Require(!string.IsNullOrWhiteSpace(body.Username), "username", "'username' is required.")
            .Require(body.Role is { } role && PointsRuleNames.IsRoleName(role.Trim()), "role", $"'role' must be a name of 1 to {PointsRuleNames.MaxRoleName} characters.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await Community(id, call);
        if (found.Value is not { } community)
        {
            return Problems.From(found.Failure!);
        }

        var volunteer = await call.Scope.Volunteer(call.Caller, body.Username!, allowSelf: false);
        if (volunteer.Value is not { } holder)
        {
            return Problems.From(volunteer.Failure!);
        }

        if (holder.CommunityId != community.Id)
        {
            return Problems.Invalid("username", $"{holder.Username} is not a volunteer of this community.");
        }

        var outcome = await call.Grains.GetGrain<IStandingRolesGrain>(SchemeKeys.StandingRoles(community.Id))
            .Assign(holder.Username, body.Role!.Trim(), body.From ?? PointsCalendar.DayOf(time.GetUtcNow()), call.Caller.Actor);
        return outcome.Value is { } assigned
            ? TypedResults.Created($"/api/places/{Uri.EscapeDataString(community.Id)}/points/standing-roles", assigned)
            : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<StandingRole>, ValidationProblem, ProblemHttpResult>> EndStandingRole(
        string id, EndStandingRoleBody body, [AsParameters] CallContext call, TimeProvider time)
    {
        var errors = new ValidationErrors()
            .Require(!string.IsNullOrWhiteSpace(body.Username), "username", "'username' is required.")
            .Require(!string.IsNullOrWhiteSpace(body.Role), "role", "'role' is required.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await Community(id, call);
        if (found.Value is not { } community)
        {
            return Problems.From(found.Failure!);
        }

        var outcome = await call.Grains.GetGrain<IStandingRolesGrain>(SchemeKeys.StandingRoles(community.Id)).End(
            Identifiers.NormalizeUsername(body.Username!), body.Role!.Trim(), body.On ?? PointsCalendar.DayOf(time.GetUtcNow()), call.Caller.Actor);
        return outcome.Value is { } ended ? TypedResults.Ok(ended) : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<StandingRoleRun>, ValidationProblem, ProblemHttpResult>> RunStandingRoles(
        string id, StandingRoleRunBody body, [AsParameters] CallContext call, TimeProvider time)
    {
        var today = PointsCalendar.DayOf(time.GetUtcNow());
        var errors = new ValidationErrors();
        if (!DateOnly.TryParseExact(body.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            errors.Add("month", "'month' must be a month: yyyy-MM.");
        }
        else if (month > today)
        {
            errors.Add("month", "A month is run once it has begun.");
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await Community(id, call);
        if (found.Value is not { } community)
        {
            return Problems.From(found.Failure!);
        }

        var outcome = await call.Grains.GetGrain<IStandingRolesGrain>(SchemeKeys.StandingRoles(community.Id)).Run(community, month, call.Caller.Actor);
        return outcome.Value is { } run ? TypedResults.Ok(run) : Problems.From(outcome.Failure!);
    }

    /// <summary>A community the caller covers; another kind of place is not found as a community.</summary>
    private static async Task<Outcome<PlaceInfo>> Community(string id, CallContext call)
    {
        var found = await call.Scope.Place(call.Caller, id);
        return found.Value is { Kind: not PlaceKind.Community } ? Failure.NotFound("Community", id) : found;
    }
}
