using System.Collections.Concurrent;
using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.IntegrationTests.Fuzz;
using Dispatch.Requests;
using Dispatch.Volunteers;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Runtime.Hosting;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// Generated claim storms on a two-silo cluster (FsCheck, fixed seed, printed on failure): random
/// volunteers race for wishes and activities, some claiming for an organisation with several
/// places, single attempts and batches at once, at claim limits 1 to 5, with releases between the
/// storms. After each storm, read back through the grains: no request has more places claimed
/// than it has, nobody holds more than the limit, every record agrees with the requests, every
/// win is stored, and every refusal's reason is true of what stands.
/// </summary>
public sealed class ConcurrentClaimStormPropertyTests(ClaimLimitClusters clusters, ITestOutputHelper output) : IClassFixture<ClaimLimitClusters>
{
    private const int Cases = 60;

    [Fact]
    public async Task Every_storm_keeps_places_limits_records_and_reasons_true()
    {
        var outcomes = new ConcurrentDictionary<string, int>();
        var property = Prop.ForAll(StormPlan().ToArbitrary(), plan => Run(plan, outcomes));
        await FuzzRun.Check("concurrent claim storms", property, FuzzRun.Config(Cases, salt: 1414));
        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}")));
    }

    private static Gen<Plan> StormPlan()
    {
        var request = Gen.Frequency((2, Gen.Constant(1)), (1, Gen.Choose(2, 4)));
        Gen<Attempt> AttemptOn(int volunteers, int requests) =>
            from volunteer in Gen.Choose(0, volunteers - 1)
            from target in Gen.Choose(0, requests - 1)
            from places in Gen.Frequency((5, Gen.Constant(0)), (1, Gen.Choose(1, 2)))
            from batch in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, 2)))
            select new Attempt(volunteer, target, places, batch);
        Gen<Round> RoundOf(int volunteers, int requests) =>
            from attempts in Gen.ListOf(AttemptOn(volunteers, requests), volunteers * requests)
            from releases in Gen.ListOf(Gen.Choose(0, volunteers - 1), 2)
            select new Round([.. attempts], [.. releases]);
        return from limit in Gen.Choose(1, 5)
               from volunteers in Gen.Choose(2, 8)
               from places in Gen.ListOf(request, 4).Select(p => p.ToArray())
               from count in Gen.Choose(1, 3)
               from rounds in Gen.ListOf(RoundOf(volunteers, places.Length), count)
               select new Plan(limit, volunteers, places, [.. rounds]);
    }

    private async Task<bool> Run(Plan plan, ConcurrentDictionary<string, int> outcomes)
    {
        var grains = await clusters.For(plan.Limit);
        var community = GrainWorld.Unique("p");
        var usernames = await grains.CreateCommunityWithVolunteers(community, plan.Volunteers);
        var organisation = GrainWorld.Unique("o");
        await grains.CreateOrganisation(organisation, community, usernames);
        var requests = new List<Guid>();
        foreach (var places in plan.Places)
        {
            requests.Add((await grains.CreateRequest(community, places == 1 ? RequestKind.Wish : RequestKind.Activity, places)).Id);
        }

        // Who released which request: they are cooling down before claiming it again (issue #16, item 3).
        var released = new HashSet<(string, Guid)>();
        for (var r = 0; r < plan.Rounds.Length; r++)
        {
            var round = plan.Rounds[r];
            var label = $"round {r + 1} of {plan}";
            var answers = await Storm(grains, community, organisation, usernames, requests, round);
            foreach (var (attempt, result) in answers)
            {
                var key = result.Won ? "won" : result.Loss.ToString()!;
                outcomes.AddOrUpdate(key, 1, (_, n) => n + 1);
            }

            await AssertInvariants(grains, plan.Limit, usernames, requests, answers, label, released);

            // Some volunteers release everything they hold before the next storm.
            foreach (var volunteer in round.Releases.Distinct().Select(i => usernames[i]))
            {
                var held = (await Volunteer(grains, volunteer).Get())!.ActiveClaims;
                foreach (var id in held)
                {
                    var answer = await grains.GetGrain<IRequestGrain>(id).Release(new Actor(volunteer, AccountRole.Volunteer));
                    Assert.True(answer.Succeeded, $"{label}: {volunteer} could not release {id}: {answer.Failure?.Code}");
                    released.Add((volunteer, id));
                }
            }

            await AssertInvariants(grains, plan.Limit, usernames, requests, [], $"{label}, after the releases", released);
        }

        return true;
    }

    /// <summary>All attempts of a round at once: lone claims and up to three batches.</summary>
    private static async Task<List<(Attempt Attempt, Outcome<RequestView> Result)>> Storm(
        IGrainFactory grains, string community, string organisation, string[] usernames, List<Guid> requests, Round round)
    {
        Claimant ClaimantOf(Attempt a) => a.OrganisationPlaces == 0
            ? new Claimant(usernames[a.Volunteer], community)
            : new Claimant(usernames[a.Volunteer], community, organisation, a.OrganisationPlaces);

        var lone = round.Attempts.Where(a => a.Batch < 0)
            .Select(async a => new[] { (a, await grains.GetGrain<IRequestGrain>(requests[a.Target]).Claim(ClaimantOf(a))) });
        var batches = round.Attempts.Where(a => a.Batch >= 0)
            .GroupBy(a => (a.Batch, a.Target))
            .Select(async batch =>
            {
                var attempts = batch.ToArray();
                var results = await grains.GetGrain<IRequestGrain>(requests[batch.Key.Target]).ClaimEach([.. attempts.Select(ClaimantOf)]);
                Assert.Equal(attempts.Length, results.Length);
                return attempts.Zip(results).ToArray();
            });
        return [.. (await Task.WhenAll(lone.Concat(batches))).SelectMany(a => a)];
    }

    private static async Task AssertInvariants(
        IGrainFactory grains, int limit, string[] usernames, List<Guid> requests, List<(Attempt Attempt, Outcome<RequestView> Result)> answers, string label,
        HashSet<(string, Guid)> released)
    {
        var views = new Dictionary<Guid, RequestView>();
        foreach (var id in requests)
        {
            views[id] = (await grains.GetGrain<IRequestGrain>(id).Get())!;
            var taken = views[id].Claims.Sum(c => c.PlaceCount);
            Assert.True(taken <= views[id].Places, $"{label}: {taken} of {views[id].Places} places claimed on {id}.");
            Assert.True(views[id].Claimants.Distinct().Count() == views[id].Claimants.Length, $"{label}: a volunteer claims {id} twice.");
        }

        Guid[] HeldBy(string username) => [.. requests.Where(id => views[id].Claimants.Contains(username)).Order()];
        foreach (var username in usernames)
        {
            var held = HeldBy(username);
            var record = (await Volunteer(grains, username).Get())!.ActiveClaims.Order().ToArray();
            Assert.True(held.Length <= limit, $"{label}: {username} holds {held.Length} claims, above the limit of {limit}.");
            Assert.True(held.SequenceEqual(record), $"{label}: {username}'s record lists {record.Length} claims, the requests give {held.Length}.");
        }

        foreach (var (attempt, result) in answers)
        {
            var username = usernames[attempt.Volunteer];
            var request = views[requests[attempt.Target]];
            var free = request.Places - request.Claims.Sum(c => c.PlaceCount);
            var asked = Math.Max(1, attempt.OrganisationPlaces);
            var truth = result.Loss switch
            {
                null => request.Claimants.Contains(username),
                ClaimLoss.AlreadyClaimed => request.Claimants.Contains(username),
                ClaimLoss.Full => free == 0,
                ClaimLoss.NotEnoughPlaces => free < asked,
                ClaimLoss.ClaimLimit => HeldBy(username).Length == limit,
                ClaimLoss.CoolingDown => released.Contains((username, requests[attempt.Target])),
                _ => false,
            };
            Assert.True(truth, $"{label}: {attempt} was answered {(result.Won ? "won" : result.Loss)}, but at the end {request.Claims.Length} claims hold {request.Places - free} of {request.Places} places and {username} holds {HeldBy(username).Length}.");
        }
    }

    private static IVolunteerGrain Volunteer(IGrainFactory grains, string username) =>
        grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username));

    /// <summary>One attempt: who, on which request, how many places for their organisation (0: a claim of their own), and which batch (-1: alone).</summary>
    public sealed record Attempt(int Volunteer, int Target, int OrganisationPlaces, int Batch)
    {
        public override string ToString() =>
            $"v{Volunteer + 1}→r{Target}{(OrganisationPlaces > 0 ? $" for the organisation ×{OrganisationPlaces}" : "")}{(Batch >= 0 ? $" in batch {Batch}" : "")}";
    }

    public sealed record Round(Attempt[] Attempts, int[] Releases)
    {
        public override string ToString() => $"[{string.Join("; ", Attempts.Select(a => a.ToString()))}] then v{string.Join(",v", Releases.Select(r => r + 1))} release";
    }

    public sealed record Plan(int Limit, int Volunteers, int[] Places, Round[] Rounds)
    {
        public override string ToString() =>
            $"limit {Limit}, {Volunteers} volunteers, requests of [{string.Join(", ", Places)}] places, rounds {string.Join(" | ", Rounds.Select(r => r.ToString()))}";
    }
}

/// <summary>One two-silo cluster per claim limit (1 to 5), started when a case first needs it.</summary>
public sealed class ClaimLimitClusters : IAsyncLifetime
{
    private readonly ConcurrentDictionary<int, Lazy<Task<InProcessTestCluster>>> clusters = new();

    public async Task<IGrainFactory> For(int limit) =>
        (await clusters.GetOrAdd(limit, l => new Lazy<Task<InProcessTestCluster>>(() => Start(l))).Value).Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var cluster in clusters.Values.Where(c => c.IsValueCreated))
        {
            await (await cluster.Value).DisposeAsync();
        }
    }

    private static async Task<InProcessTestCluster> Start(int limit)
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Dispatch:Volunteers:ClaimLimit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .Build();
        TestGrainStorage? storage = null;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddDispatchGrainServices(configuration);
            silo.UseInMemoryReminderService();
            silo.Services.AddGrainStorage(StorageNames.Dispatch, (services, _) =>
                storage ??= new TestGrainStorage(services.GetRequiredService<Serializer>()));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
