using System.Collections.Immutable;
using System.Globalization;
using Dispatch.Posts;
using Dispatch.Volunteers;

namespace Dispatch.Dispatching;

/// <summary>
/// How much each factor weighs. The defaults make one matching skill (+20) outweigh the load of
/// any volunteer still available under the default claim limit of 5 (at most 4 claims × −4 = −16),
/// make a steady record of recent work worth half a skill (at most 5 × 2 = +10), and make two
/// recent refusals (2 × −6 = −12) outweigh that record.
/// </summary>
public sealed record CandidateWeights
{
    public static CandidateWeights Default { get; } = new();

    /// <summary>Points for each of the volunteer's skills that matches one of the request's categories.</summary>
    public double PerMatchedSkill { get; init; } = 20;

    /// <summary>Points for each claim the volunteer holds now (negative: a busy volunteer is a worse pick).</summary>
    public double PerActiveClaim { get; init; } = -4;

    /// <summary>Points for each completion within <see cref="RecentWindow"/>, for at most <see cref="MaxRecentCompletions"/> of them.</summary>
    public double PerRecentCompletion { get; init; } = 2;

    /// <summary>How many recent completions earn points: the bonus is capped so that a few very active volunteers do not get every offer.</summary>
    public int MaxRecentCompletions { get; init; } = 5;

    /// <summary>Points for each offer declined or left to lapse within <see cref="RecentWindow"/> (negative).</summary>
    public double PerRecentDecline { get; init; } = -6;

    /// <summary>Points when the volunteer declares a service post named like one of the request's categories (岗位所需、党员所长).</summary>
    public double PerMatchedPost { get; init; } = 15;

    /// <summary>Points when one of the volunteer's declared time slots covers now or falls before the request's stage deadline.</summary>
    public double DeclaredTimeSlot { get; init; } = 10;

    /// <summary>How far back "recent" reaches from the time of ranking.</summary>
    public TimeSpan RecentWindow { get; init; } = TimeSpan.FromDays(30);
}

/// <summary>
/// Ranks volunteers for a request (精准派单): plain C#, no grains, so the same inputs always give the
/// same order. Available volunteers come first, then by score (highest first), then by fewer active
/// claims, then by username (ordinal).
/// </summary>
public static class CandidateRanking
{
    public const string SkillsFactor = "skills";
    public const string ActiveClaimsFactor = "activeClaims";
    public const string RecentCompletionsFactor = "recentCompletions";
    public const string RecentDeclinesFactor = "recentDeclines";
    public const string AvailabilityFactor = "availability";
    public const string PostsFactor = "posts";
    public const string TimeSlotsFactor = "timeSlots";

    /// <summary>
    /// Scores each volunteer against the request's <paramref name="categories"/> and orders them.
    /// Skills and categories match whole, trimmed and case-insensitively. A history entry counts as
    /// recent when it is no older than the window at <paramref name="now"/>. A volunteer listed twice
    /// is ranked once (the first listing). The volunteers' declared service posts
    /// (<paramref name="declarations"/>) count when a post is named like a category, and when one
    /// of their slots covers <paramref name="now"/> or falls before <paramref name="until"/> (the
    /// request's stage deadline).
    /// </summary>
    public static ImmutableArray<Candidate> Rank(
        ImmutableArray<string> categories,
        IEnumerable<VolunteerView> volunteers,
        DateTimeOffset now,
        CandidateWeights? weights = null,
        IEnumerable<PostDeclaration>? declarations = null,
        DateTimeOffset? until = null)
    {
        ArgumentNullException.ThrowIfNull(volunteers);
        weights ??= CandidateWeights.Default;
        var wanted = Words(categories).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var since = now - weights.RecentWindow;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var declared = (declarations ?? [])
            .Where(d => d.Provider.Kind == ProviderKind.Volunteer)
            .ToLookup(d => d.Provider.Id, StringComparer.Ordinal);
        var window = new ServiceWindow(now, until is { } end && end > now ? end : now);

        return
        [
            .. volunteers
                .Where(v => v is not null && seen.Add(v.Username))
                .Select(v => Score(v, wanted, since, weights, [.. declared[v.Username]], window))
                .OrderByDescending(c => c.Available)
                .ThenByDescending(c => c.Score)
                .ThenBy(c => c.ActiveClaims)
                .ThenBy(c => c.Username, StringComparer.Ordinal),
        ];
    }

    /// <summary>True when a later reinstatement of the same request shows its verification was overturned.</summary>
    private static bool Overturned(ImmutableArray<VolunteerHistoryEntry> history, VolunteerHistoryEntry completion) =>
        history.Any(e => e.Action == VolunteerAction.ClaimReinstated && e.RequestId == completion.RequestId && e.At >= completion.At);

    /// <summary>The time a request's service could be given in: from the ranking to its stage deadline (equal: now only).</summary>
    private sealed record ServiceWindow(DateTimeOffset From, DateTimeOffset To);

    private static Candidate Score(
        VolunteerView volunteer, HashSet<string> wanted, DateTimeOffset since, CandidateWeights weights,
        ImmutableArray<PostDeclaration> declared, ServiceWindow serviceWindow)
    {
        var matched = Words(volunteer.Skills).Where(wanted.Contains).ToImmutableArray();
        var activeClaims = volunteer.ActiveClaims.IsDefault ? 0 : volunteer.ActiveClaims.Length;
        var recent = (volunteer.History.IsDefault ? [] : volunteer.History).Where(e => e.At >= since).ToList();
        var completions = recent.Count(e => e.Action == VolunteerAction.Completed && !Overturned(volunteer.History, e));
        var declined = recent.Count(e => e.Action == VolunteerAction.OfferDeclined);
        var lapsed = recent.Count(e => e.Action == VolunteerAction.OfferLapsed);
        var available = activeClaims < volunteer.ClaimLimit;
        var window = Describe(weights.RecentWindow);

        var reasons = ImmutableArray.CreateBuilder<ScoreReason>();
        if (matched.Length > 0)
        {
            reasons.Add(new(SkillsFactor, matched.Length * weights.PerMatchedSkill, $"matches {string.Join(", ", matched)}"));
        }

        var posts = declared.Where(d => wanted.Contains(d.PostName.Trim())).Select(d => d.PostName).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (posts.Count > 0)
        {
            reasons.Add(new(PostsFactor, weights.PerMatchedPost, $"declares the post {string.Join(", ", posts)}"));
        }

        // The slots of the matching posts count; without one, any declared slot says when the volunteer serves.
        var serving = posts.Count > 0 ? declared.Where(d => posts.Contains(d.PostName, StringComparer.OrdinalIgnoreCase)) : declared;
        if (serving.Any(d => ServiceAvailability.IsAvailableAt(d, serviceWindow.From)))
        {
            reasons.Add(new(TimeSlotsFactor, weights.DeclaredTimeSlot, "a declared time slot covers now"));
        }
        else if (serviceWindow.To > serviceWindow.From && serving.Any(d => ServiceAvailability.IsAvailableBetween(d, serviceWindow.From, serviceWindow.To)))
        {
            reasons.Add(new(TimeSlotsFactor, weights.DeclaredTimeSlot, "a declared time slot falls before the deadline"));
        }

        if (activeClaims > 0)
        {
            reasons.Add(new(ActiveClaimsFactor, activeClaims * weights.PerActiveClaim, Count(activeClaims, "active claim", "active claims")));
        }

        if (completions > 0)
        {
            var counted = Math.Min(completions, Math.Max(weights.MaxRecentCompletions, 0));
            var detail = $"{Count(completions, "completion", "completions")} in the last {window}"
                + (counted < completions ? $" (counted up to {counted})" : "");
            reasons.Add(new(RecentCompletionsFactor, counted * weights.PerRecentCompletion, detail));
        }

        if (declined + lapsed > 0)
        {
            var parts = new List<string>(2);
            if (declined > 0)
            {
                parts.Add(Count(declined, "offer declined", "offers declined"));
            }

            if (lapsed > 0)
            {
                parts.Add(Count(lapsed, "offer lapsed", "offers lapsed"));
            }

            reasons.Add(new(RecentDeclinesFactor, (declined + lapsed) * weights.PerRecentDecline, $"{string.Join(" and ", parts)} in the last {window}"));
        }

        if (!available)
        {
            // No points: being at the limit already ranks the volunteer after every available one.
            reasons.Add(new(AvailabilityFactor, 0, $"at the claim limit ({activeClaims} of {volunteer.ClaimLimit})"));
        }

        // Drop factors whose weight was configured to zero: a reason that adds nothing explains nothing,
        // except the availability note.
        var shown = reasons.Where(r => r.Points != 0 || r.Factor == AvailabilityFactor).ToImmutableArray();
        return new Candidate(
            volunteer.Username,
            volunteer.DisplayName,
            volunteer.CommunityId,
            shown.Sum(r => r.Points),
            available,
            matched,
            activeClaims,
            volunteer.ClaimLimit,
            completions,
            declined + lapsed,
            shown);
    }

    /// <summary>Trimmed, non-empty, each once (case-insensitively), in the order first given.</summary>
    private static IEnumerable<string> Words(ImmutableArray<string> words) =>
        (words.IsDefault ? [] : words)
            .Select(w => w?.Trim() ?? "")
            .Where(w => w.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase);

    private static string Count(int count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}");

    private static string Describe(TimeSpan window) =>
        window.Ticks % TimeSpan.TicksPerDay == 0
            ? Count((int)window.TotalDays, "day", "days")
            : window.ToString("c", CultureInfo.InvariantCulture);
}
