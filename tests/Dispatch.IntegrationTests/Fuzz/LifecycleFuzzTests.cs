using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using FsCheck;
using FsCheck.Fluent;

namespace Dispatch.IntegrationTests.Fuzz;

/// <summary>
/// The fuzz world with policies short enough for timers (every deadline within two minutes), and
/// a second member of the organisation from another community.
/// </summary>
public sealed class LifecycleFixture : FuzzFixture
{
    public static readonly object Policy = new
    {
        claimWithin = "00:00:40",
        startWithin = "00:01:00",
        completeWithin = "00:01:30",
        verifyWithin = "00:01:30",
        escalateEvery = "00:00:30",
        offerWithin = "00:00:20",
    };

    public Dictionary<string, string> ActorTokens { get; } = [];

    /// <summary>The shipped claim limit and rate limits: the journeys draw how near each volunteer starts to them.</summary>
    protected override IReadOnlyDictionary<string, string?> HostSettings => Settings;

    protected override async Task ArrangeAsync()
    {
        foreach (var kind in new[] { "wish", "activity" })
        {
            await DispatchClient.Expect(await World.Admin.Put($"/api/policies/{kind}/normal", Policy), HttpStatusCode.OK);
        }

        await World.Admin.PostOk<JsonObject>($"/api/organisations/{Organisation}/members", new { username = "vol-m2-1" });
        // Everyone an automatic dispatch may reach once a request climbs to the town, too.
        foreach (var actor in LifecycleFuzzTests.Actors.Append("vol-m2-2"))
        {
            using var client = actor == "admin" ? await App.Admin() : await World.As(actor);
            ActorTokens[actor] = client.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        }
    }
}

public enum StepKind
{
    Claim,
    OrganisationClaim,
    Release,
    Start,
    Complete,
    Verify,
    Cancel,
    Dispatch,
    AcceptOffer,
    DeclineOffer,
    Acknowledge,
    Redeem,
    AdjustPoints,
    AdvanceClock,

    /// <summary>Every volunteer claims at once (one of them for the organisation): a small claim storm.</summary>
    ClaimStorm,
}

/// <summary>One generated operation: who does what to which of the case's requests, with a small argument.</summary>
public sealed record Step(StepKind Kind, int Actor, int Target, int Argument)
{
    public override string ToString() => Kind switch
    {
        StepKind.AdvanceClock => $"advance {LifecycleFuzzTests.Advances[Argument % LifecycleFuzzTests.Advances.Length].TotalSeconds}s",
        StepKind.ClaimStorm => $"claim storm on r{Target} ({Argument})",
        _ => $"{(Actor < 0 ? "the one it concerns" : LifecycleFuzzTests.Actors[Actor])} {Kind} r{Target} ({Argument})",
    };
}

/// <summary>
/// A case: the places of its activity, how many other claims each volunteer already holds (so the
/// claim limit binds at a drawn distance), how long the clock ran before it (so the per-volunteer
/// claim rate limit starts drawn full or not), and its operations in order.
/// </summary>
public sealed record Journey(int ActivityPlaces, IReadOnlyList<int> HeldBefore, int RestSeconds, IReadOnlyList<Step> Steps)
{
    public override string ToString() =>
        $"activity of {ActivityPlaces}, holding [{string.Join(", ", HeldBefore)}] after {RestSeconds}s of rest: {string.Join("; ", Steps)}";
}

/// <summary>
/// Generated sequences of operations (claims, organisation claims, releases, starts, completions
/// with and without the check-in code, verifications, cancellations, dispatch offers and their
/// answers, acknowledgements, shop purchases, points adjustments, and time passing) by generated
/// actors on a wish and an activity. After every step: no 5xx; a refused step changed nothing;
/// never more places claimed than there are, nor a volunteer twice; every history entry is a
/// transition of the lifecycle; balances never negative and equal to their postings; the shop
/// never sells a unit it does not have.
/// </summary>
public sealed class LifecycleFuzzTests(LifecycleFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<LifecycleFixture>
{
    private readonly Dictionary<string, int> outcomes = [];

    public static readonly string[] Actors = ["vol-m1-1", "vol-m1-2", "vol-m2-1", "staff-t1", "staff-m3", "admin"];

    public static readonly TimeSpan[] Advances = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(100)];

    private const int Journeys = 40;

    private const int ShippedClaimLimit = 5;

    private static readonly string[] Volunteers = ["vol-m1-1", "vol-m1-2", "vol-m2-1"];

    /// <summary>
    /// An actor chosen when the step runs, so that journeys get past the first steps: a claimant of
    /// the request (releasing, starting, completing), the volunteer an offer waits for (answering
    /// it), or one of its community's volunteers who holds no claim (claiming).
    /// </summary>
    private const int Concerned = -1;

    /// <summary>The (from, to) statuses each history action may record; null for "the status does not change".</summary>
    private static readonly Dictionary<RequestAction, (RequestStatus? From, RequestStatus To)[]?> Transitions = new()
    {
        [RequestAction.Created] = [(null, RequestStatus.Open)],
        [RequestAction.Claimed] = [(RequestStatus.Open, RequestStatus.Open), (RequestStatus.Open, RequestStatus.Claimed)],
        [RequestAction.OfferAccepted] = [(RequestStatus.Open, RequestStatus.Open), (RequestStatus.Open, RequestStatus.Claimed)],
        [RequestAction.Released] =
        [
            (RequestStatus.Open, RequestStatus.Open), (RequestStatus.Claimed, RequestStatus.Open),
            (RequestStatus.InProgress, RequestStatus.InProgress), (RequestStatus.InProgress, RequestStatus.Open),
        ],
        [RequestAction.ClaimExpired] = [(RequestStatus.Open, RequestStatus.Open), (RequestStatus.Claimed, RequestStatus.Open)],
        [RequestAction.Started] = [(RequestStatus.Open, RequestStatus.InProgress), (RequestStatus.Claimed, RequestStatus.InProgress)],
        [RequestAction.Completed] = [(RequestStatus.InProgress, RequestStatus.Completed)],
        [RequestAction.Verified] = [(RequestStatus.Completed, RequestStatus.Verified)],
        [RequestAction.VerificationRejected] = [(RequestStatus.Completed, RequestStatus.InProgress)],
        [RequestAction.VerificationOverturned] = [(RequestStatus.Verified, RequestStatus.InProgress)],
        [RequestAction.CheckInRejected] = [(RequestStatus.InProgress, RequestStatus.InProgress)],
        [RequestAction.Cancelled] =
        [
            (RequestStatus.Open, RequestStatus.Cancelled), (RequestStatus.Claimed, RequestStatus.Cancelled),
            (RequestStatus.InProgress, RequestStatus.Cancelled), (RequestStatus.Completed, RequestStatus.Cancelled),
        ],
        [RequestAction.Offered] = [(RequestStatus.Open, RequestStatus.Open)],
        [RequestAction.OfferDeclined] = [(RequestStatus.Open, RequestStatus.Open)],
        [RequestAction.OfferLapsed] = [(RequestStatus.Open, RequestStatus.Open)],
        [RequestAction.OfferWithdrawn] = null,
        [RequestAction.Escalated] = null,
        [RequestAction.Acknowledged] = null,
        [RequestAction.SupervisorsAdded] = null,
        [RequestAction.HandoverOffered] = null,
        [RequestAction.HandoverAccepted] = null,
    };

    /// <summary>The history action a successful step records first (none: it may change nothing).</summary>
    private static readonly Dictionary<StepKind, RequestAction[]> FirstAction = new()
    {
        [StepKind.Claim] = [RequestAction.Claimed, RequestAction.OfferAccepted],
        [StepKind.OrganisationClaim] = [RequestAction.Claimed, RequestAction.OfferAccepted],
        [StepKind.Release] = [RequestAction.Released],
        [StepKind.Start] = [RequestAction.Started],
        [StepKind.Complete] = [RequestAction.Completed],
        [StepKind.Verify] = [RequestAction.Verified, RequestAction.VerificationRejected, RequestAction.VerificationOverturned],
        [StepKind.Cancel] = [RequestAction.Cancelled],
        [StepKind.Dispatch] = [RequestAction.Offered],
        [StepKind.AcceptOffer] = [RequestAction.OfferAccepted],
        [StepKind.DeclineOffer] = [RequestAction.OfferDeclined],
        [StepKind.Acknowledge] = [RequestAction.Acknowledged],
    };

    [Fact]
    public async Task Generated_journeys_keep_the_rules_of_claims_statuses_points_and_stock()
    {
        var reader = new StateReader(fixture.Raw, fixture.Tokens[FuzzRole.Admin]);
        var property = Prop.ForAll(Journey().ToArbitrary(), journey => Run(journey, reader));
        await FuzzRun.Check("request journeys", property, FuzzRun.Config(Journeys, salt: 7919));
        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}")));
    }

    private static Gen<Journey> Journey()
    {
        // Weighted towards the lifecycle's way forward (claim, start, complete, verify), so that
        // journeys reach its later statuses, with every other operation mixed in.
        var volunteerStep = from kind in Gen.Frequency(
                                (3, Gen.Constant(StepKind.Claim)), (1, Gen.Constant(StepKind.OrganisationClaim)), (1, Gen.Constant(StepKind.Release)),
                                (3, Gen.Constant(StepKind.Start)), (3, Gen.Constant(StepKind.Complete)), (1, Gen.Constant(StepKind.AcceptOffer)),
                                (1, Gen.Constant(StepKind.DeclineOffer)), (1, Gen.Constant(StepKind.Redeem)))
                            from actor in Gen.Frequency((6, Gen.Constant(Concerned)), (3, Gen.Choose(0, 2)), (1, Gen.Choose(3, 5)))
                            select (kind, actor);
        var staffStep = from kind in Gen.Frequency(
                            (4, Gen.Constant(StepKind.Verify)), (1, Gen.Constant(StepKind.Cancel)), (2, Gen.Constant(StepKind.Dispatch)),
                            (1, Gen.Constant(StepKind.Acknowledge)), (1, Gen.Constant(StepKind.AdjustPoints)), (1, Gen.Constant(StepKind.Complete)))
                        from actor in Gen.Frequency((8, Gen.Elements(3, 5)), (1, Gen.Choose(0, 2)), (1, Gen.Constant(4)))
                        select (kind, actor);
        Gen<Step> Step(int focus) =>
            from who in Gen.Frequency(
                (6, volunteerStep), (3, staffStep), (1, Gen.Constant((StepKind.AdvanceClock, 0))), (1, Gen.Constant((StepKind.ClaimStorm, 0))))
            from target in Gen.Frequency((4, Gen.Constant(focus)), (1, Gen.Constant(1 - focus)))
            from argument in Gen.Choose(0, 11)
            select new Step(who.Item1, who.Item2, target, argument);
        return from places in Gen.Choose(1, 4)
               from held in Gen.ListOf(Gen.Choose(0, ShippedClaimLimit - 1), Volunteers.Length)
               from rest in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(1)), (4, Gen.Constant(10)))
               from focus in Gen.Choose(0, 1)
               from count in Gen.Choose(8, 28)
               from steps in Gen.ListOf(Step(focus), count)
               select new Journey(places, held.ToArray(), rest, steps.ToArray());
    }

    private async Task<bool> Run(Journey journey, StateReader reader)
    {
        using var staff = new DispatchClient(fixture.App.CreateClient());
        staff.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.ActorTokens["staff-t1"]);
        using var admin = new DispatchClient(fixture.App.CreateClient());
        admin.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.ActorTokens["admin"]);
        fixture.Clock.Advance(TimeSpan.FromSeconds(journey.RestSeconds));
        var others = await HoldOtherClaims(staff, journey.HeldBefore);
        var wish = await staff.CreateRequest("m1", "wish", 1, "Journey wish");
        var activity = await staff.CreateRequest("m1", "activity", journey.ActivityPlaces, "Journey activity");
        RequestView[] requests = [wish, activity];
        Guid[] watched = [.. fixture.Requests.Values, .. others, wish.Id, activity.Id];
        try
        {
            for (var i = 0; i < journey.Steps.Count; i++)
            {
                var label = $"step {i + 1} ({journey.Steps[i]})";
                await Apply(journey.Steps[i], requests, reader, label);
                await ClaimLimitHolds(admin, watched, label);
            }
        }
        finally
        {
            // End the claims, so that the next journey's volunteers are not at their claim limit.
            foreach (var request in requests.Select(r => r.Id).Concat(others))
            {
                await staff.Post($"/api/requests/{request}/cancel", new { reason = "journey over" });
            }
        }

        return true;
    }

    /// <summary>Each volunteer claims the drawn number of wishes of their community first (a claim refused by the rate limit is simply not held).</summary>
    private async Task<List<Guid>> HoldOtherClaims(DispatchClient staff, IReadOnlyList<int> heldBefore)
    {
        var others = new List<Guid>();
        for (var v = 0; v < Volunteers.Length; v++)
        {
            using var volunteer = new DispatchClient(fixture.App.CreateClient());
            volunteer.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.ActorTokens[Volunteers[v]]);
            var community = Volunteers[v].Split('-')[1];
            for (var i = 0; i < heldBefore[v]; i++)
            {
                var other = await staff.CreateRequest(community, "wish", 1, "Claimed before the journey");
                others.Add(other.Id);
                var response = await volunteer.Post($"/api/requests/{other.Id}/claim");
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests, $"A claim before the journey answered {response.StatusCode}.");
            }
        }

        return others;
    }

    /// <summary>After every step: nobody above the shipped claim limit, counted on the requests, and every volunteer's record agrees with them.</summary>
    private static async Task ClaimLimitHolds(DispatchClient admin, Guid[] watched, string label)
    {
        try
        {
            // A volunteer's grain hears of a timer's change (an expired claim) just after the request stored it.
            await Eventually.Get(() => ClaimInvariants.Read(admin, watched, Volunteers), h => h.Agree);
            await ClaimInvariants.AssertHold(admin, watched, Volunteers, ShippedClaimLimit);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            throw new Xunit.Sdk.XunitException($"{label}: {failure.Message}");
        }
    }

    private async Task Apply(Step step, RequestView[] requests, StateReader reader, string label)
    {
        var probes = Probes(requests);
        var before = await reader.Take(probes);
        if (step.Kind == StepKind.AdvanceClock)
        {
            fixture.Clock.Advance(Advances[step.Argument % Advances.Length]);
            await DeadlinesApplied(requests, reader, label);
        }
        else if (step.Kind == StepKind.ClaimStorm)
        {
            // Every attempt gets a definite answer: won, or lost with a reason; the invariants below judge the outcome.
            var request = requests[step.Target];
            var attempts = Volunteers.Select(async (volunteer, n) =>
            {
                object? body = n == step.Argument % Volunteers.Length ? new { organisationId = FuzzFixture.Organisation, places = 2 } : null;
                using var message = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{request.Id}/claim")
                {
                    Content = body is null ? null : JsonContent.Create(body, options: DispatchClient.Json),
                };
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.ActorTokens[volunteer]);
                using var response = await fixture.Raw.SendAsync(message);
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
            });
            foreach (var (status, text) in await Task.WhenAll(attempts))
            {
                Assert.True(status is 200 or 403 or 409 or 429, $"{label}: a storm's claim answered {status} {text}");
            }
        }
        else
        {
            var request = requests[step.Target];
            var actor = step.Actor == Concerned ? ConcernedActor(step, before, request.Id) : Actors[step.Actor];
            label = $"{label} by {actor}";
            var (method, path, body) = Call(step, request);
            using var message = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: DispatchClient.Json) };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.ActorTokens[actor]);
            using var response = await fixture.Raw.SendAsync(message);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            var outcome = $"{step.Kind} {status}";
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            Assert.True(status < 500, $"{label}: {status} {text}");
            Assert.False(status == 401, $"{label}: the token was refused; the fake clock outran it: raise the token lifetime in FuzzFixture.Settings.");
            if (status >= 400)
            {
                var after = await reader.Take(probes);
                var reason = text.StartsWith('{') ? JsonNode.Parse(text)?["reason"]?.GetValue<string>() : null;
                var except = reason == "wrongCheckInCode" ? $"/api/requests/{request.Id}" : null;
                var item = reason == "insufficientPoints" ? $"/api/shop/items/{fixture.ShopItem}" : null;
                if (before.Difference(after, except, versionOnly: item) is { } difference)
                {
                    Assert.Fail($"{label}: refused ({status} {text}) but changed {difference}");
                }
            }
            else if (FirstAction.TryGetValue(step.Kind, out var expected))
            {
                var history = await reader.ReadJson($"/api/requests/{request.Id}") is { } view
                    ? await History(reader, request.Id)
                    : [];
                var earlier = HistoryOf(before, request.Id);
                // Starting or cancelling withdraws a pending offer first.
                var added = history.Skip(earlier.Length).SkipWhile(h => h.Action == RequestAction.OfferWithdrawn).ToArray();
                Assert.True(
                    added.Length == 0 ? step.Kind is StepKind.Verify or StepKind.Acknowledge : expected.Contains(added[0].Action),
                    $"{label}: answered {status} and recorded [{string.Join(", ", added.Select(a => a.Action))}]");
            }
        }

        await Invariants(requests, reader, label);
    }

    private static string ConcernedActor(Step step, StateSnapshot before, Guid id)
    {
        var view = JsonSerializer.Deserialize<RequestView>(before.Seen($"/api/requests/{id}")![4..], DispatchClient.Json)!;
        var claimants = view.Claims.Select(c => c.Volunteer).ToArray();
        string[] candidates = step.Kind switch
        {
            StepKind.AcceptOffer or StepKind.DeclineOffer => view.Offer is { } offer ? [offer.Volunteer] : [],
            StepKind.Claim => [.. new[] { "vol-m1-1", "vol-m1-2" }.Where(v => !claimants.Contains(v))],
            StepKind.OrganisationClaim => [.. new[] { "vol-m1-1", "vol-m2-1" }.Where(v => !claimants.Contains(v))],
            _ => claimants,
        };
        return candidates.Length == 0 ? Volunteers[step.Argument % Volunteers.Length] : candidates[step.Argument % candidates.Length];
    }

    private (HttpMethod, string, object?) Call(Step step, RequestView request)
    {
        var at = $"/api/requests/{request.Id}";
        var volunteer = Volunteers[step.Argument % Volunteers.Length];
        return step.Kind switch
        {
            StepKind.Claim => (HttpMethod.Post, $"{at}/claim", null),
            StepKind.OrganisationClaim => (HttpMethod.Post, $"{at}/claim", new { organisationId = FuzzFixture.Organisation, places = 1 + (step.Argument % 4) }),
            StepKind.Release => (HttpMethod.Post, $"{at}/release", null),
            StepKind.Start => (HttpMethod.Post, $"{at}/start", null),
            StepKind.Complete => (HttpMethod.Post, $"{at}/complete", (step.Argument % 3) switch
            {
                0 => new { note = "done" },
                1 => (object)new { note = "done", checkInCode = request.CheckInCode },
                _ => new { checkInCode = "000000" },
            }),
            StepKind.Verify => (HttpMethod.Post, $"{at}/verify", new { approved = step.Argument % 3 != 0, rating = 1 + (step.Argument % 5) }),
            StepKind.Cancel => (HttpMethod.Post, $"{at}/cancel", new { reason = "fuzz" }),
            StepKind.Dispatch => (HttpMethod.Post, $"{at}/dispatch", step.Argument % 4 == 0 ? new { auto = true } : new { volunteer }),
            StepKind.AcceptOffer => (HttpMethod.Post, $"{at}/offer/accept", null),
            StepKind.DeclineOffer => (HttpMethod.Post, $"{at}/offer/decline", new { reason = "busy" }),
            StepKind.Acknowledge => (HttpMethod.Post, $"{at}/acknowledge", null),
            StepKind.Redeem => (HttpMethod.Post, $"/api/shop/items/{fixture.ShopItem}/redeem", null),
            StepKind.AdjustPoints => (HttpMethod.Post, $"/api/volunteers/{volunteer}/points", new { amount = (step.Argument - 5) * 20 is 0 ? 7 : (step.Argument - 5) * 20, reason = "fuzz" }),
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
    }

    private List<string> Probes(RequestView[] requests)
    {
        var probes = requests.SelectMany(r => new[] { $"/api/requests/{r.Id}", $"/api/requests/{r.Id}/history" }).ToList();
        probes.AddRange(Volunteers.Append("vol-m2-2").Select(v => $"/api/volunteers/{v}/points?limit=500"));
        probes.Add($"/api/shop/items/{fixture.ShopItem}");
        probes.Add($"/api/shop/items/{fixture.ShopItem}/orders");
        return probes;
    }

    /// <summary>Waits until every deadline the clock has passed has been applied (timers fire a moment after the clock moves).</summary>
    private async Task DeadlinesApplied(RequestView[] requests, StateReader reader, string label)
    {
        var now = fixture.Clock.GetUtcNow();
        foreach (var request in requests)
        {
            var view = await Eventually.Get(
                () => reader.ReadJson($"/api/requests/{request.Id}"),
                v => v!["deadlines"]!.AsArray().All(d => d!["due"]!.GetValue<DateTimeOffset>() > now));
            Assert.True(
                view!["deadlines"]!.AsArray().All(d => d!["due"]!.GetValue<DateTimeOffset>() > now),
                $"{label}: deadlines passed at {now:O} were never applied: {view["deadlines"]!.ToJsonString()}");
        }
    }

    private async Task Invariants(RequestView[] requests, StateReader reader, string label)
    {
        foreach (var request in requests)
        {
            var view = (await reader.ReadJson($"/api/requests/{request.Id}"))!.Deserialize<RequestView>(DispatchClient.Json)!;
            var history = await History(reader, request.Id);
            var taken = view.Claims.Sum(c => c.PlaceCount);
            Assert.True(taken <= view.Places, $"{label}: {taken} places claimed of {view.Places}: {string.Join(", ", view.Claims)}");
            Assert.True(view.Claims.Select(c => c.Volunteer).Distinct().Count() == view.Claims.Length, $"{label}: a volunteer holds two claims: {string.Join(", ", view.Claims)}");
            Assert.True(view.FreePlaces >= 0, $"{label}: {view.FreePlaces} free places");
            Assert.True(view.Status != RequestStatus.Claimed || taken == view.Places, $"{label}: claimed with {taken} of {view.Places} places taken");
            Assert.True(view.Offer is null || view.Status == RequestStatus.Open, $"{label}: an offer pending on a {view.Status} request");

            Assert.Equal(history.Length, view.Version);
            Assert.Equal(view.Status, history[^1].To);
            for (var i = 0; i < history.Length; i++)
            {
                var entry = history[i];
                Assert.Equal(i + 1, entry.Seq);
                if (i > 0 && entry.From != history[i - 1].To)
                {
                    Assert.Fail($"{label}: entry {entry.Seq} ({entry.Action}) starts from {entry.From}, the previous ended at {history[i - 1].To}");
                }

                var allowed = Transitions[entry.Action];
                Assert.True(
                    allowed is null
                        ? entry.From == entry.To && entry.From is not (RequestStatus.Verified or RequestStatus.Cancelled) || entry.Action == RequestAction.OfferWithdrawn && entry.From == entry.To
                        : allowed.Contains((entry.From, entry.To)),
                    $"{label}: history entry {entry.Seq} {entry.Action} {entry.From}→{entry.To} is not a transition of the lifecycle");
            }
        }

        foreach (var volunteer in Volunteers.Append("vol-m2-2"))
        {
            var points = (await reader.ReadJson($"/api/volunteers/{volunteer}/points?limit=500"))!;
            var balance = points["balance"]!.GetValue<int>();
            Assert.True(balance >= 0, $"{label}: {volunteer}'s balance is {balance}");
            Assert.Equal(points["earned"]!.GetValue<int>() - points["redeemed"]!.GetValue<int>(), balance);
            var entries = points["entries"]!.AsArray().Reverse().ToArray();
            var running = 0;
            foreach (var entry in entries)
            {
                running += entry!["change"]!.GetValue<int>();
                Assert.True(running == entry["balanceAfter"]!.GetValue<int>() && running >= 0, $"{label}: {volunteer}'s ledger runs to {running} at {entry.ToJsonString()}");
            }

            Assert.Equal(balance, running);
            Assert.Equal(entries.Length, entries.Select(e => e!["key"]!.GetValue<string>()).Distinct().Count());
        }

        var item = (await reader.ReadJson($"/api/shop/items/{fixture.ShopItem}"))!;
        var units = item["stock"]!.GetValue<int>() + item["inFlight"]!.GetValue<int>() + item["pending"]!.GetValue<int>() + item["fulfilled"]!.GetValue<int>();
        Assert.True(item["stock"]!.GetValue<int>() >= 0 && units == 10, $"{label}: the shop item's units do not add up to its 10: {item.ToJsonString()}");
    }

    private static async Task<HistoryEntry[]> History(StateReader reader, Guid id)
    {
        var seen = await reader.Read($"/api/requests/{id}/history");
        return System.Text.Json.JsonSerializer.Deserialize<HistoryEntry[]>(seen[4..], DispatchClient.Json)!;
    }

    private static HistoryEntry[] HistoryOf(StateSnapshot snapshot, Guid id) =>
        System.Text.Json.JsonSerializer.Deserialize<HistoryEntry[]>(snapshot.Seen($"/api/requests/{id}/history")![4..], DispatchClient.Json)!;
}
