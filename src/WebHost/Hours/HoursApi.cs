using System.Collections.Immutable;
using Dispatch.Activities;
using Dispatch.Common;
using Dispatch.Hours;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Places;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Hours;

/// <summary>Hours added by hand for an activity that has ended: how many minutes, and why.</summary>
public sealed record AddHoursBody(Guid? ActivityId, int? Minutes, string? Reason);

/// <summary>The service time the verifier confirms for a verified request: for every claimant, or for the one named.</summary>
public sealed record ConfirmRequestHoursBody(int? Minutes, string? Volunteer);

/// <summary>A correction of a recorded entry: its new minutes, and why.</summary>
public sealed record CorrectHoursBody(int? Minutes, string? Reason);

/// <summary>Service hours (志愿时长): a volunteer's record, hours added or corrected by hand, and a place's totals for a period.</summary>
public static class HoursApi
{
    /// <summary>No service counts for more than a day's minutes (an activity lasts at most 24 hours).</summary>
    public const int MaxMinutes = 24 * 60;

    public static RouteGroupBuilder MapHoursApi(this RouteGroupBuilder api)
    {
        var volunteers = api.MapGroup("/volunteers").WithTags("Hours");
        volunteers.MapGet("/{username}/hours", GetVolunteerHours)
            .WithSummary("A volunteer's service hours for a period (from, to; all time without), the all-time total and star level, and each entry with its corrections: themselves, and staff in scope.");
        volunteers.MapPost("/{username}/hours", AddHours).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Add hours by hand for an activity that has ended (staff in scope): marked manual, with who and why, never beyond the activity's length.");
        volunteers.MapPost("/{username}/hours/{entryId:guid}/correct", CorrectHours).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Correct an entry's minutes on the volunteer's request (staff in scope); the old value, who and why stay in its history.");
        var requests = api.MapGroup("/requests").WithTags("Hours");
        requests.MapPost("/{id:guid}/hours", ConfirmRequestHours).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Confirm the service time of a verified request's claimants (staff in scope): recorded once per claimant, never longer than from their claim to the verification.");
        var places = api.MapGroup("/places").WithTags("Hours");
        places.MapGet("/{id}/hours", GetPlaceHours).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The service hours done in a place's communities in a period, with person-times and volunteers; groupBy community, volunteer or unit (staff in scope).");
        return api;
    }

    private static async Task<Results<Ok<VolunteerHoursView>, ValidationProblem, ProblemHttpResult>> GetVolunteerHours(
        string username, string? from, string? to, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors();
        var (start, end) = RequestListParameters.Period(from, to, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Volunteer(call.Caller, username);
        if (found.Value is not { } volunteer)
        {
            return Problems.From(found.Failure!);
        }

        return TypedResults.Ok(await call.Grains.GetGrain<IHoursGrain>(HoursKeys.For(volunteer.Username)).Get(start, end));
    }

    private static async Task<Results<Created<HoursEntryView>, ValidationProblem, ProblemHttpResult>> AddHours(
        string username, AddHoursBody body, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors()
            .Require(body.ActivityId is not null, "activityId", "'activityId' is required: the activity served.")
            .Require(body.Minutes is >= 1 and <= MaxMinutes, "minutes", $"'minutes' must be between 1 and {MaxMinutes}.")
            .RequireText(body.Reason, "reason", HoursLimits.MaxReason);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Volunteer(call.Caller, username, allowSelf: false);
        if (found.Value is not { } volunteer)
        {
            return Problems.From(found.Failure!);
        }

        var activityId = body.ActivityId!.Value;
        var request = await call.Scope.Request(call.Caller, activityId);
        if (request.Failure is { } refused)
        {
            return refused.Code == "notFound" ? Problems.Invalid("activityId", $"'{activityId}' is not an activity.") : Problems.From(refused);
        }

        if (await call.Grains.GetGrain<IActivityGrain>(activityId).Get(volunteer.Username) is not { } activity)
        {
            return Problems.Invalid("activityId", $"'{activityId}' is not an activity.");
        }

        var added = await call.Grains.GetGrain<IHoursGrain>(HoursKeys.For(volunteer.Username))
            .AddForActivity(activity, body.Minutes!.Value, body.Reason!, call.Caller.Actor);
        return added.Value is { } entry
            ? TypedResults.Created($"/api/volunteers/{volunteer.Username}/hours", entry)
            : Problems.From(added.Failure!);
    }

    private static async Task<Results<Ok<ImmutableArray<HoursEntryView>>, ValidationProblem, ProblemHttpResult>> ConfirmRequestHours(
        Guid id, ConfirmRequestHoursBody body, [AsParameters] CallContext call)
    {
        var volunteer = body.Volunteer is null ? null : Identifiers.NormalizeUsername(body.Volunteer);
        var errors = new ValidationErrors()
            .Require(body.Minutes is >= 1 and <= MaxMinutes, "minutes", $"'minutes' must be between 1 and {MaxMinutes}.")
            .Require(body.Volunteer is null || Identifiers.IsValidUsername(volunteer), "volunteer", "'volunteer' must be a username.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (await call.Scope.Request(call.Caller, id) is { Failure: { } refused })
        {
            return Problems.From(refused);
        }

        var confirmed = await call.Grains.GetGrain<IRequestGrain>(id).ConfirmHours(call.Caller.Actor, body.Minutes!.Value, volunteer);
        return confirmed.Value is { } recorded ? TypedResults.Ok(recorded.Entries) : Problems.From(confirmed.Failure!);
    }

    private static async Task<Results<Ok<HoursEntryView>, ValidationProblem, ProblemHttpResult>> CorrectHours(
        string username, Guid entryId, CorrectHoursBody body, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors()
            .Require(body.Minutes is >= 0 and <= MaxMinutes, "minutes", $"'minutes' must be between 0 and {MaxMinutes}.")
            .RequireText(body.Reason, "reason", HoursLimits.MaxReason);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Volunteer(call.Caller, username, allowSelf: false);
        if (found.Value is not { } volunteer)
        {
            return Problems.From(found.Failure!);
        }

        var corrected = await call.Grains.GetGrain<IHoursGrain>(HoursKeys.For(volunteer.Username))
            .Correct(entryId, body.Minutes!.Value, body.Reason!, call.Caller.Actor);
        return corrected.Value is { } entry ? TypedResults.Ok(entry) : Problems.From(corrected.Failure!);
    }

    private static async Task<Results<Ok<PlaceHoursView>, ValidationProblem, ProblemHttpResult>> GetPlaceHours(
        string id, string? from, string? to, string? groupBy, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors();
        var (start, end) = RequestListParameters.Period(from, to, errors);
        var grouping = Query.ParseEnum<HoursGrouping>(groupBy, "groupBy", errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        return TypedResults.Ok(await call.Grains.GetGrain<IHoursTotalsGrain>(0).Totals(place, start, end, grouping));
    }
}
