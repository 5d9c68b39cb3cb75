using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Requests;

namespace Dispatch.Dispatching;

/// <summary>Who a dispatch offers the request to, chosen from a ranking: plain C#, no grains.</summary>
public static class OfferLine
{
    /// <summary>
    /// With <paramref name="auto"/>, every available candidate in ranked order (the request refuses
    /// an empty line as <c>noCandidates</c>). Otherwise the one <paramref name="volunteer"/>, who must
    /// be a candidate of the pool with a free claim slot: a claimant of the request is
    /// <c>alreadyClaimed</c>, anyone else outside the pool is invalid, a volunteer at the limit is
    /// <c>unavailable</c>. Null when <paramref name="line"/> is chosen, else the refusal.
    /// </summary>
    public static Failure? Choose(RequestView request, CandidatePool ranked, string? volunteer, bool auto, out ImmutableArray<string> line)
    {
        line = [];
        if (auto)
        {
            line = [.. ranked.Candidates.Where(c => c.Available).Select(c => c.Username)];
            return null;
        }

        if (ranked.Candidates.FirstOrDefault(c => c.Username == volunteer) is not { } chosen)
        {
            return request.Claimants.Contains(volunteer ?? "", StringComparer.Ordinal)
                ? Failure.Conflict("alreadyClaimed", $"'{volunteer}' already holds a claim on this request.")
                : Failure.Invalid("volunteer", $"'{volunteer}' is not a volunteer registered in '{ranked.PoolPlaceId}'.");
        }

        if (!chosen.Available)
        {
            return Failure.Conflict("unavailable", $"'{volunteer}' holds as many active claims as allowed.");
        }

        line = [chosen.Username];
        return null;
    }
}
