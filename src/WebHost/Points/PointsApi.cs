using Dispatch.Common;
using Dispatch.Points;
using Dispatch.Volunteers;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Points;

public sealed record AdjustPointsBody(int? Amount, string? Reason);

public static class PointsApi
{
    public const int DefaultLimit = 50;
    public const int MaxAdjustment = 100_000;
    public const int MaxReason = 500;

    public static RouteGroupBuilder MapPointsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/volunteers").WithTags("Points");
        group.MapGet("/{username}/points", GetPoints)
            .WithSummary("A volunteer's balance, totals and newest ledger entries: themselves, and staff in call.Scope.");
        group.MapPost("/{username}/points", Adjust).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Credit or debit a volunteer's points with a reason (staff in scope); never below zero.");
        return api;
    }

    private static async Task<Results<Ok<PointsStatement>, ValidationProblem, ProblemHttpResult>> GetPoints(
        string username, string? limit, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors();
        var take = Query.ParseInt(limit, "limit", DefaultLimit, 0, PointsLimits.MaxStatementEntries, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var (volunteer, problem) = await Authorize(username, call, allowSelf: true);
        if (volunteer is null)
        {
            return problem!;
        }

        return TypedResults.Ok(await call.Grains.GetGrain<ILedgerGrain>(GrainKeys.Ledger(volunteer.Username)).GetStatement(take));
    }

    private static async Task<Results<Created<LedgerEntry>, ValidationProblem, ProblemHttpResult>> Adjust(
        string username, AdjustPointsBody body, [AsParameters] CallContext call, HttpRequest http)
    {
        var errors = new ValidationErrors()
            .Require(body.Amount is not null, "amount", "'amount' is required.")
            .RequireText(body.Reason, "reason", MaxReason);
        if (body.Amount is { } value)
        {
            errors.Require(
                value is not 0 and >= -MaxAdjustment and <= MaxAdjustment,
                "amount",
                $"'amount' must be a whole number between -{MaxAdjustment} and {MaxAdjustment}, and not 0.");
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var (volunteer, problem) = await Authorize(username, call, allowSelf: false);
        if (volunteer is null)
        {
            return problem!;
        }

        // With an Idempotency-Key the adjustment's id follows from it, so a retry after a lost
        // answer reaches the same ledger key and is posted once.
        var id = http.Headers.TryGetValue(IdempotencyMiddleware.Header, out var key) && key.ToString() is { Length: > 0 } k
            ? IdempotencyMiddleware.IdFor(call.Caller.Username, $"{k}\npoints:{volunteer.Username}")
            : Guid.NewGuid();
        var outcome = await call.Grains.GetGrain<ILedgerGrain>(GrainKeys.Ledger(volunteer.Username)).Post(new PointsPosting(
            $"adjustment:{id}", volunteer.CommunityId, body.Amount!.Value, PostingKind.Adjustment, id.ToString(),
            body.Reason!.Trim(), call.Caller.Username));
        return outcome.Value is { } entry
            ? TypedResults.Created($"/api/volunteers/{Uri.EscapeDataString(volunteer.Username)}/points", entry)
            : Problems.From(outcome.Failure!);
    }

    /// <summary>The volunteer (404 when there is none), if the caller may see their points: themselves, staff in scope, admins.</summary>
    private static async Task<(VolunteerView? Volunteer, ProblemHttpResult? Problem)> Authorize(
        string username, [AsParameters] CallContext call, bool allowSelf)
    {
        var found = await call.Scope.Volunteer(call.Caller, username, allowSelf);
        return found.Value is { } volunteer ? (volunteer, null) : (null, Problems.From(found.Failure!));
    }
}
