using System.Collections.Immutable;
using Dispatch.Queries;
using Dispatch.Requests;
using Dispatch.Volunteers;
using Dispatch.WebHost.Infrastructure;

namespace Dispatch.WebHost.Volunteers;

/// <summary>One rating a volunteer received: the verified request, its 1–5 rating and the verifier's comment.</summary>
public sealed record ReceivedRating(Guid RequestId, string Title, string CommunityId, int Rating, string? Comment, DateTimeOffset VerifiedAt);

/// <summary>
/// The ratings a volunteer received (staff's 1–5 rating of verified requests they took part in):
/// how many, their average (two decimals; null without any) and the latest few, newest first.
/// </summary>
public sealed record VolunteerRatingsView(string Username, int Ratings, double? Average, ImmutableArray<ReceivedRating> Latest);

/// <summary>
/// Reads a volunteer's ratings from the query store as unit reports do: one pass over the verified
/// requests of the volunteer's community, one rating per request they were a claimant of. Only the
/// latest few are read from their request grains, for the verifier's comment (the store keeps none).
/// </summary>
public static class VolunteerRatings
{
    /// <summary>How many of the latest ratings are shown with their request.</summary>
    public const int Latest = 5;

    public static async Task<VolunteerRatingsView> Read(
        VolunteerView volunteer, CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        var rated = new List<RequestListItem>();
        if (await call.Scope.Places.Find(volunteer.CommunityId) is { } community)
        {
            var filter = new RequestFilter(community.Path, [RequestStatus.Verified]);
            await foreach (var request in queries.Export(filter, RequestSort.Newest, cancellationToken))
            {
                if (request.Rating is not null && request.Claimants.Contains(volunteer.Username, StringComparer.Ordinal))
                {
                    rated.Add(request);
                }
            }
        }

        var latest = await Task.WhenAll(rated
            .OrderByDescending(r => r.FinishedAt ?? r.UpdatedAt)
            .Take(Latest)
            .Select(async r =>
            {
                var verification = (await call.Grains.GetGrain<IRequestGrain>(r.Id).Get())?.Verification;
                return new ReceivedRating(r.Id, r.Title, r.CommunityId, r.Rating!.Value, verification?.Comment, verification?.At ?? r.FinishedAt ?? r.UpdatedAt);
            }));
        double? average = rated.Count == 0
            ? null
            : Math.Round((double)rated.Sum(r => r.Rating!.Value) / rated.Count, 2, MidpointRounding.AwayFromZero);
        return new VolunteerRatingsView(volunteer.Username, rated.Count, average, [.. latest]);
    }
}
