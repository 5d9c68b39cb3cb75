using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Hours;

namespace Dispatch.Requests;

/// <summary>
/// The service hours a verifier confirms for a completed request, one credit per claimant: never
/// more than the claimant can have served (their claim to the verification), keyed by the request
/// so that <c>POST /api/requests/{id}/hours</c> and the verification record it once.
/// </summary>
public static class ConfirmedHours
{
    public const string Field = "minutes";

    /// <summary>Why <paramref name="minutes"/> cannot be confirmed at <paramref name="now"/>: more than any claimant served.</summary>
    public static Failure? Check(ImmutableArray<ClaimRecord> claims, int minutes, DateTimeOffset now)
    {
        if (claims.IsDefaultOrEmpty)
        {
            return null;
        }

        var longest = claims.Max(c => Served(c.At, now));
        return minutes > longest
            ? Failure.Invalid(Field, $"'minutes' must be at most {longest}: the time from the first claim to now.") with { Limit = longest }
            : null;
    }

    /// <summary>The credit of each claimant, each at most their own time served.</summary>
    public static ImmutableArray<PendingHours> Credits(RequestPoints request, ImmutableArray<ClaimRecord> claims, int minutes, DateTimeOffset verifiedAt, string by) =>
        [.. claims.Select(claim =>
        {
            var served = Served(claim.At, verifiedAt);
            return new PendingHours(claim.Volunteer, For(request, claim, Math.Min(minutes, served), served, by));
        })];

    /// <summary>A claimant's credit for <paramref name="minutes"/> of a request, at most <paramref name="maxMinutes"/>.</summary>
    public static HoursCredit For(RequestPoints request, ClaimRecord claim, int minutes, int maxMinutes, string by) =>
        new($"request:{request.Id}", HoursSource.Request, request.Id, request.Title, request.CommunityId, claim.At, minutes, maxMinutes, by);

    /// <summary>Whole minutes from a claim to an instant, at least one.</summary>
    public static int Served(DateTimeOffset from, DateTimeOffset to) => (int)Math.Max(Math.Floor((to - from).TotalMinutes), 1);
}

/// <summary>A credit of service hours waiting in a request's outbox, with the volunteer whose record takes it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PendingHours")]
public sealed record PendingHours(string Volunteer, HoursCredit Credit);
