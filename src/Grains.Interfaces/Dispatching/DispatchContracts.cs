using System.Collections.Immutable;

namespace Dispatch.Dispatching;

/// <summary>One contribution to a candidate's score, shown to staff so that a ranking can be understood and challenged.</summary>
/// <param name="Factor">A stable camelCase name: <c>skills</c>, <c>activeClaims</c>, <c>recentCompletions</c>, <c>recentDeclines</c>, <c>availability</c>, <c>posts</c> (a declared service post matches a category) or <c>timeSlots</c> (a declared time slot covers now or falls before the deadline).</param>
/// <param name="Points">What the factor added to the score (negative when it lowered it).</param>
/// <param name="Detail">A short English explanation, e.g. <c>matches goods, repair</c>.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.ScoreReason")]
public sealed record ScoreReason(string Factor, double Points, string Detail);

/// <summary>A volunteer as a candidate for one request: the score, the figures behind it, and the reasons.</summary>
/// <param name="Score">The sum of <paramref name="Reasons"/>' points.</param>
/// <param name="Available">False when the volunteer holds as many active claims as allowed: an offer could not be accepted.</param>
/// <param name="MatchedSkills">The volunteer's skills (as the volunteer spelled them) that match one of the request's categories.</param>
/// <param name="RecentCompletions">Completed claims within the recent window (all of them, not only those that earned points).</param>
/// <param name="RecentDeclines">Offers declined or left to lapse within the recent window.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.Candidate")]
public sealed record Candidate(
    string Username,
    string DisplayName,
    string CommunityId,
    double Score,
    bool Available,
    ImmutableArray<string> MatchedSkills,
    int ActiveClaims,
    int ClaimLimit,
    int RecentCompletions,
    int RecentDeclines,
    ImmutableArray<ScoreReason> Reasons);

/// <summary>The volunteers ranked for one request, and the place they were drawn from.</summary>
/// <param name="PoolPlaceId">The request's community, or its town once the request has escalated there.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.CandidatePool")]
public sealed record CandidatePool(string PoolPlaceId, ImmutableArray<Candidate> Candidates);
