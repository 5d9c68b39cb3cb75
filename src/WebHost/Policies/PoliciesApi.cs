using System.Collections.Immutable;
using System.Security.Claims;
using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Policies;

/// <summary>Durations as .NET TimeSpan strings: "00:00:02", "04:00:00", "1.00:00:00". <c>offerWithin</c> is optional: the configured default of the urgency.</summary>
public sealed record PolicyBody(TimeSpan? ClaimWithin, TimeSpan? StartWithin, TimeSpan? CompleteWithin, TimeSpan? VerifyWithin, TimeSpan? EscalateEvery, TimeSpan? OfferWithin);

public static class PoliciesApi
{
    public static RouteGroupBuilder MapPoliciesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/policies").WithTags("Policies");
        group.MapGet("/", GetPolicies).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The escalation policy of every kind and urgency (staff).");
        group.MapPut("/{kind}/{urgency}", SetPolicy).RequireAuthorization(AuthenticationSetup.AdminPolicy)
            .WithSummary("Replace one policy (admin); requests created afterwards use it.");
        return api;
    }

    private static async Task<Ok<ImmutableArray<PolicyEntry>>> GetPolicies(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IPolicyGrain>(GrainKeys.Policies).GetAll());

    private static async Task<Results<Ok<PolicyEntry>, ValidationProblem>> SetPolicy(
        string kind, string urgency, PolicyBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new ValidationErrors();
        var parsedKind = Query.ParseEnum<RequestKind>(kind, "kind", errors);
        var parsedUrgency = Query.ParseEnum<Urgency>(urgency, "urgency", errors);
        errors.Require(body.ClaimWithin is not null, "claimWithin", "'claimWithin' is required.")
            .Require(body.StartWithin is not null, "startWithin", "'startWithin' is required.")
            .Require(body.CompleteWithin is not null, "completeWithin", "'completeWithin' is required.")
            .Require(body.VerifyWithin is not null, "verifyWithin", "'verifyWithin' is required.")
            .Require(body.EscalateEvery is not null, "escalateEvery", "'escalateEvery' is required.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var policies = grains.GetGrain<IPolicyGrain>(GrainKeys.Policies);
        var policy = new EscalationPolicy(
            body.ClaimWithin!.Value, body.StartWithin!.Value, body.CompleteWithin!.Value, body.VerifyWithin!.Value, body.EscalateEvery!.Value,
            body.OfferWithin ?? (await policies.GetDefault(parsedUrgency!.Value)).OfferWithin);
        if (PolicyLimits.Validate(policy) is { IsEmpty: false } outOfRange)
        {
            return Problems.Invalid(outOfRange);
        }

        return TypedResults.Ok(await policies
            .Set(parsedKind!.Value, parsedUrgency!.Value, policy, user.Username()));
    }
}
