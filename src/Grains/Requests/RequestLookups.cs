using System.Collections.Immutable;
using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Organisations;
using Dispatch.Places;
using Dispatch.Points;
using Dispatch.Schemes;

namespace Dispatch.Requests;

/// <summary>
/// What a request reads from other grains before a change: the community, policy and award it
/// is created with, the policy and award of a new urgency, the organisations that claim it, whoever a case is
/// handed to, and the staff an escalation brings in. Reads and checks only: the request applies
/// and stores the change itself.
/// </summary>
internal sealed class RequestLookups(IGrainFactory grains)
{
    /// <summary>The community a request is published in, or the refusal naming <c>communityId</c>.</summary>
    public async Task<Outcome<PlaceInfo>> Community(string communityId) =>
        await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(communityId)).Get() is { Kind: PlaceKind.Community } community
            ? community
            : Failure.Invalid("communityId", $"'{communityId}' is not a community.");

    /// <summary>
    /// What a request of <paramref name="kind"/> and <paramref name="urgency"/> is published with
    /// in a community: the community (or the refusal naming <c>communityId</c>), the deadlines of
    /// its policy, and the points it earns.
    /// </summary>
    public async Task<Outcome<RequestTerms>> Terms(
        string communityId, RequestKind kind, Urgency urgency, int requestPoints, PointsOptions points, DateTimeOffset now)
    {
        var found = await Community(communityId);
        if (found.Value is not { } community)
        {
            return found.Failure!;
        }

        var award = await Award(community, kind, urgency, requestPoints, points, now);
        return new RequestTerms(community, await Policy(kind, urgency), award.Points, award.Rule);
    }

    public Task<EscalationPolicy> Policy(RequestKind kind, Urgency urgency) =>
        grains.GetGrain<IPolicyGrain>(GrainKeys.Policies).Get(kind, urgency);

    /// <summary>
    /// The points a request of <paramref name="kind"/> and <paramref name="urgency"/> earns: the
    /// <c>request.{kind}.{urgency}</c> rule of the points scheme in force in its community when
    /// there is one (remembered with the request, so its postings name it); otherwise, as before
    /// schemes, its own points weighted by its urgency, under no rule.
    /// </summary>
    public async Task<RequestAward> Award(PlaceInfo community, RequestKind kind, Urgency urgency, int requestPoints, PointsOptions points, DateTimeOffset now)
    {
        var rule = (await grains.PointsRulesAt(community, now)).FirstOrDefault(r => r.Rule == PointsRuleNames.Request(kind, urgency));
        return rule is null ? new(points.Award(requestPoints, urgency), null) : new(rule.Points, PostingRule.Of(rule));
    }

    /// <summary>The <c>rating.high</c> rule in force in <paramref name="communityId"/> at <paramref name="now"/>; null without one (or without points).</summary>
    public async Task<RatingBonus?> HighRatingBonus(string communityId, DateTimeOffset now)
    {
        if (await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(communityId)).Get() is not { } community)
        {
            return null;
        }

        var rule = (await grains.PointsRulesAt(community, now)).FirstOrDefault(r => r.Rule == PointsRuleNames.HighRating && r.Points > 0);
        return rule is null ? null : new RatingBonus(PostingRule.Of(rule), rule.Points);
    }

    /// <summary>
    /// Null when <paramref name="username"/> may claim for the organisation in
    /// <paramref name="communityId"/>: it exists, they are a member, and it reports in to that
    /// community; otherwise the refusal (a lost claim for the last).
    /// </summary>
    public async Task<Failure?> CheckOrganisationClaim(string organisationId, string username, string communityId)
    {
        var organisation = await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(organisationId)).Get();
        return organisation is null ? Failure.Invalid("organisationId", $"Organisation '{organisationId}' does not exist.")
            : !organisation.HasMember(username) ? Failure.Forbidden("notMember", $"You are not a member of organisation '{organisationId}'.")
            : !organisation.ReportsTo(communityId) ? ClaimRefusals.Of(ClaimLoss.OutsideCommunity)
            : null;
    }

    /// <summary>
    /// The members of each organisation holding places of <paramref name="request"/>, read only
    /// when <paramref name="participants"/> names someone (none otherwise).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ImmutableArray<string>>> MembersClaiming(ServiceRequest? request, ImmutableArray<string> participants) =>
        participants.IsDefaultOrEmpty || request is null
            ? ImmutableDictionary<string, ImmutableArray<string>>.Empty
            : await MembersOf(request.Claims.Select(c => c.OrganisationId).OfType<string>());

    /// <summary>The members of each of <paramref name="organisationIds"/> (none for one that is gone).</summary>
    public async Task<IReadOnlyDictionary<string, ImmutableArray<string>>> MembersOf(IEnumerable<string> organisationIds)
    {
        var members = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var organisationId in organisationIds.Distinct(StringComparer.Ordinal))
        {
            var organisation = await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(organisationId)).Get();
            members[organisationId] = organisation?.Members ?? [];
        }

        return members;
    }

    /// <summary>Null when <paramref name="to"/> may receive a handover of a request of the community; else the refusal naming <c>to</c>.</summary>
    public async Task<Failure?> CheckHandoverReceiver(string to, string communityId)
    {
        var receiver = await grains.GetGrain<IAccountGrain>(GrainKeys.Account(to)).Get();
        var community = await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(communityId)).Get();
        return receiver is not null && community is not null && MayReceiveHandover(receiver, community)
            ? null
            : Failure.Invalid("to", $"'{to}' is not a staff member whose scope covers this request.");
    }

    /// <summary>
    /// Everyone <see cref="CheckHandoverReceiver"/> accepts for the community: the staff and admins
    /// placed on its ladder (nobody below it covers it), nearest place first, then by name.
    /// </summary>
    public async Task<ImmutableArray<HandoverReceiver>> HandoverReceivers(string communityId)
    {
        if (await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(communityId)).Get() is not { } community)
        {
            return [];
        }

        var ladder = await Task.WhenAll(community.Path.Select(id => grains.GetGrain<IPlaceGrain>(GrainKeys.Place(id)).Get()));
        var places = ladder.OfType<PlaceInfo>().ToDictionary(p => p.Id, StringComparer.Ordinal);
        var placed = await Task.WhenAll(places.Keys.Select(id => grains.GetGrain<IPlaceGrain>(GrainKeys.Place(id)))
            .SelectMany(place => new[] { place.GetAccounts(), place.GetStaff() }));
        var accounts = await Task.WhenAll(placed.SelectMany(u => u).Distinct(StringComparer.Ordinal)
            .Select(username => grains.GetGrain<IAccountGrain>(GrainKeys.Account(username)).Get()));
        var nearest = community.Path.Reverse().Select((id, depth) => (id, depth)).ToDictionary(p => p.id, p => p.depth, StringComparer.Ordinal);
        return [.. accounts.OfType<AccountView>()
            .Where(a => places.ContainsKey(a.PlaceId) && MayReceiveHandover(a, community))
            .OrderBy(a => nearest[a.PlaceId])
            .ThenBy(a => a.DisplayName, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("zh-CN"), ignoreCase: true))
            .ThenBy(a => a.Username, StringComparer.Ordinal)
            .Select(a => new HandoverReceiver(a.Username, a.DisplayName, a.PlaceId, places[a.PlaceId].Name))];
    }

    /// <summary>
    /// <see cref="HandoverReceivers(string)"/> for <paramref name="asker"/>, who is not offered
    /// themselves, narrowed to those whose name or username contains <paramref name="text"/> (any case).
    /// </summary>
    public async Task<ImmutableArray<HandoverReceiver>> HandoverReceivers(string communityId, string asker, string? text) =>
        Matching(await HandoverReceivers(communityId), asker, text);

    /// <summary>The receivers other than <paramref name="asker"/> whose display name or username contains <paramref name="text"/> (ignoring case; blank: all).</summary>
    public static ImmutableArray<HandoverReceiver> Matching(ImmutableArray<HandoverReceiver> receivers, string asker, string? text)
    {
        var wanted = text?.Trim() ?? "";
        return [.. receivers.Where(r => r.Username != asker && (wanted.Length == 0
            || r.DisplayName.Contains(wanted, StringComparison.OrdinalIgnoreCase)
            || r.Username.Contains(wanted, StringComparison.OrdinalIgnoreCase)))];
    }

    /// <summary>The one rule for a handover's receiver: enabled staff (or an admin) whose scope covers the community.</summary>
    private static bool MayReceiveHandover(AccountView receiver, PlaceInfo community) =>
        receiver is { Role: AccountRole.Staff or AccountRole.Admin, Disabled: false }
        && Scope.Covers(new Caller(receiver.Username, receiver.Role, receiver.PlaceId), community);

    /// <summary>
    /// Offers a request being created to <paramref name="volunteer"/> (menu service), chosen from
    /// its candidates as a dispatch chooses (<see cref="Dispatching.OfferLine"/>); the refusal when
    /// they cannot be offered it. In memory only: the request stores creation and offer together.
    /// </summary>
    public async Task<Failure?> OfferOnCreation(ServiceRequest request, Actor actor, string volunteer, DateTimeOffset now)
    {
        var view = request.ToView();
        var ranked = await grains.GetGrain<Dispatching.ICandidatesGrain>(Dispatching.ICandidatesGrain.Key).Rank(view, actor);
        return Dispatching.OfferLine.Choose(view, ranked, volunteer, auto: false, out var line)
            ?? request.Dispatch(actor, line, auto: false, now);
    }

    /// <summary>An owned request that climbs brings the staff of each place its escalations reached in as supervisors.</summary>
    public async Task BringInSupervisors(ServiceRequest request, ImmutableArray<ClockEvent> events, DateTimeOffset now)
    {
        if (request.Owner is null)
        {
            return;
        }

        foreach (var placeId in events.Where(e => e.Kind is DeadlineKind.Stage or DeadlineKind.Escalation).Select(e => e.PlaceId).Distinct())
        {
            request.AddSupervisors(await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(placeId)).GetStaff(), now);
        }
    }
}

/// <summary>What a request is published with: its community, the deadlines of its policy, its award per place and the scheme rule that set it (null: none).</summary>
internal sealed record RequestTerms(PlaceInfo Community, EscalationPolicy Policy, int Award, PostingRule? AwardRule);

/// <summary>A request's points per place and the scheme rule they come from (null: the request's own points, weighted).</summary>
internal readonly record struct RequestAward(int Points, PostingRule? Rule);
