using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.WebHost.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Security;

/// <summary>
/// The abuse limits on the fake clock: each one refuses with 429, <c>Retry-After</c> and a problem
/// body naming it, counts the refusal, and lets requests through again once the clock has moved.
/// </summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task The_token_route_refuses_an_address_past_its_burst_and_admits_it_again_after_the_refill()
    {
        var clock = new FakeTimeProvider();
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, new Dictionary<string, string?>
        {
            ["Dispatch:RateLimits:TokenPerAddress:Burst"] = "3",
            ["Dispatch:RateLimits:TokenPerAddress:Refill"] = "1",
            ["Dispatch:RateLimits:TokenPerAddress:Period"] = "00:01:00",
        }, clock);
        await using var host = app.WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddresses>()));
        using var client = host.CreateClient();
        using var rejections = new RejectionCounter();

        // Wrong passwords: 401 until the address's burst is spent, then 429 whatever the password.
        for (var i = 0; i < 3; i++)
        {
            var answer = await SignIn(client, "203.0.113.7", "admin", "wrong");
            Assert.True(answer.Status == StatusCodes.Status401Unauthorized, answer.Body.ToJsonString());
        }

        var refused = await SignIn(client, "203.0.113.7", "admin", DispatchApp.AdminPassword);
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Status);
        Assert.Equal("60", refused.RetryAfter);
        Assert.Equal("rateLimited", refused.Body["reason"]!.GetValue<string>());
        Assert.Equal(DispatchRateLimits.TokenPerAddress, refused.Body["limit"]!.GetValue<string>());
        Assert.Equal(429, refused.Body["status"]!.GetValue<int>());
        Assert.Equal(1, rejections.Of(DispatchRateLimits.TokenPerAddress));

        // Another address has its own bucket; an IPv6 client is counted by its /64.
        Assert.Equal(StatusCodes.Status200OK, (await SignIn(client, "203.0.113.8", "admin", DispatchApp.AdminPassword)).Status);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(StatusCodes.Status401Unauthorized, (await SignIn(client, $"2001:db8:1:2::{i + 1}", "admin", "wrong")).Status);
        }

        Assert.Equal(StatusCodes.Status429TooManyRequests, (await SignIn(client, "2001:db8:1:2:ffff::9", "admin", "wrong")).Status);

        // Half a period later, still nothing; a whole period gives back one attempt.
        clock.Advance(TimeSpan.FromSeconds(30));
        var waiting = await SignIn(client, "203.0.113.7", "admin", DispatchApp.AdminPassword);
        Assert.Equal(StatusCodes.Status429TooManyRequests, waiting.Status);
        Assert.Equal("30", waiting.RetryAfter);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(StatusCodes.Status200OK, (await SignIn(client, "203.0.113.7", "admin", DispatchApp.AdminPassword)).Status);
        Assert.Equal(StatusCodes.Status429TooManyRequests, (await SignIn(client, "203.0.113.7", "admin", DispatchApp.AdminPassword)).Status);
        Assert.Equal(4, rejections.Of(DispatchRateLimits.TokenPerAddress));
    }

    [Theory]
    [InlineData("Dispatch:ForwardedHeaders:KnownProxies:0", "10.0.0.5")]
    [InlineData("Dispatch:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/24")]
    public async Task Behind_a_configured_proxy_each_forwarded_client_has_its_own_bucket(string key, string value)
    {
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, new Dictionary<string, string?>
        {
            ["Dispatch:RateLimits:TokenPerAddress:Burst"] = "2",
            ["Dispatch:RateLimits:TokenPerAddress:Refill"] = "1",
            ["Dispatch:RateLimits:TokenPerAddress:Period"] = "01:00:00",
            [key] = value,
        });
        await using var host = app.WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddresses>()));
        using var client = host.CreateClient();

        async Task<int> ThroughProxy(string proxy, string forwardedFor)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
            {
                Content = new StringContent("""{"username":"admin","password":"wrong"}""", Encoding.UTF8, "application/json"),
            };
            message.Headers.Add(ClientAddresses.Header, proxy);
            message.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await client.SendAsync(message);
            return (int)response.StatusCode;
        }

        Assert.Equal(401, await ThroughProxy("10.0.0.5", "203.0.113.1"));
        Assert.Equal(401, await ThroughProxy("10.0.0.5", "203.0.113.1"));
        Assert.Equal(429, await ThroughProxy("10.0.0.5", "203.0.113.1"));

        // Another client behind the same proxy is not held back by the first.
        Assert.Equal(401, await ThroughProxy("10.0.0.5", "203.0.113.2"));

        // A header from anyone else is not believed: it counts as its sender.
        Assert.Equal(401, await ThroughProxy("198.51.100.9", "203.0.113.3"));
        Assert.Equal(401, await ThroughProxy("198.51.100.9", "203.0.113.4"));
        Assert.Equal(429, await ThroughProxy("198.51.100.9", "203.0.113.5"));
    }

    [Theory]
    [InlineData("Dispatch:ForwardedHeaders:KnownProxies:0", "10.0.0.300", "KnownProxies")]
    [InlineData("Dispatch:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/99", "KnownNetworks")]
    public void A_host_with_an_unusable_proxy_setting_does_not_start_and_names_it(string key, string value, string named)
    {
        using var directory = new TempDirectory();
        using var app = new DispatchApp(directory.Path, new Dictionary<string, string?> { [key] = value });
        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_volunteer_past_the_claim_burst_gets_429_until_the_bucket_refills_and_others_are_unaffected()
    {
        // The shipped defaults: a burst of 20 claim attempts, then 5 a second.
        var clock = new FakeTimeProvider();
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, clock: clock);
        var world = await World.Create(app);
        using var script = await world.As(World.Volunteer("m1", 1));
        using var other = await world.As(World.Volunteer("m1", 2));
        var wish = await world.Admin.CreateRequest("m1");
        using var rejections = new RejectionCounter();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            answers.Add((await script.Post($"/api/requests/{wish.Id}/claim")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, answers[0]);
        Assert.All(answers.Skip(1).Take(19), a => Assert.Equal(HttpStatusCode.Conflict, a));
        Assert.All(answers.Skip(20), a => Assert.Equal(HttpStatusCode.TooManyRequests, a));

        var refused = await script.Post($"/api/requests/{wish.Id}/claim");
        var problem = await DispatchClient.Problem(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(DispatchRateLimits.ClaimsPerVolunteer, problem["limit"]!.GetValue<string>());
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem["type"]!.GetValue<string>());
        Assert.Equal(1, problem["retryAfter"]!.GetValue<int>());
        Assert.NotNull(problem["traceId"]);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Equal(11, rejections.Of(DispatchRateLimits.ClaimsPerVolunteer));

        // Accepting an offer is a claim attempt too, and the same volunteer's bucket refuses it.
        var accept = await script.Post($"/api/requests/{wish.Id}/offer/accept");
        Assert.Equal(HttpStatusCode.TooManyRequests, accept.StatusCode);

        // Another volunteer, in the same second, is not held back.
        Assert.Equal(HttpStatusCode.Conflict, (await other.Post($"/api/requests/{wish.Id}/claim")).StatusCode);

        // One second: five more. Ten seconds: the whole burst again, and no more.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(5, await Admitted(script, wish.Id, 8));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(20, await Admitted(script, wish.Id, 25));
    }

    [Fact]
    public async Task In_a_storm_honest_volunteers_see_no_429_while_a_scripted_one_is_held_to_its_allowance()
    {
        const int Honest = 20;
        const int Seconds = 10;
        const int HonestTapsPerSecond = 4;
        const int ScriptPerSecond = 100;

        var clock = new FakeTimeProvider();
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, clock: clock);
        var world = await World.Create(app);
        var usernames = Enumerable.Range(1, Honest).Select(i => $"honest-{i:D2}").ToArray();
        foreach (var username in usernames)
        {
            await world.Admin.CreateAccount(username, "volunteer", "m1");
        }

        var honest = new List<DispatchClient>();
        foreach (var username in usernames)
        {
            honest.Add(await world.As(username));
        }

        using var script = await world.As(World.Volunteer("m1", 1));
        var wishes = new List<RequestView>();
        for (var i = 0; i < 30; i++)
        {
            wishes.Add(await world.Admin.CreateRequest("m1", title: $"Storm wish {i}"));
        }

        var honestAnswers = new ConcurrentBag<HttpStatusCode>();
        var scriptAnswers = new ConcurrentBag<HttpStatusCode>();
        var random = new Random(9);
        for (var second = 0; second < Seconds; second++)
        {
            // Within one second of the host's clock: every honest volunteer taps a few times, the script fires a hundred.
            var attempts = honest.SelectMany(client => Enumerable.Range(0, HonestTapsPerSecond).Select(_ => (Client: client, Honest: true)))
                .Concat(Enumerable.Range(0, ScriptPerSecond).Select(_ => (Client: script, Honest: false)))
                .Select(a => (a.Client, a.Honest, Wish: wishes[random.Next(wishes.Count)].Id))
                .ToArray();
            random.Shuffle(attempts);
            await Parallel.ForEachAsync(attempts, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (attempt, _) =>
            {
                var status = (await attempt.Client.Post($"/api/requests/{attempt.Wish}/claim")).StatusCode;
                (attempt.Honest ? honestAnswers : scriptAnswers).Add(status);
            });
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(Honest * HonestTapsPerSecond * Seconds, honestAnswers.Count);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, honestAnswers);
        Assert.All(honestAnswers, a => Assert.Contains(a, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));

        // The script gets its burst, then five a second: 20 + 9 × 5 answered, the rest refused.
        var admitted = scriptAnswers.Count(a => a != HttpStatusCode.TooManyRequests);
        Assert.Equal(20 + ((Seconds - 1) * 5), admitted);
        Assert.Equal((Seconds * ScriptPerSecond) - admitted, scriptAnswers.Count(a => a == HttpStatusCode.TooManyRequests));
        Assert.All(scriptAnswers, a => Assert.Contains(a, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.TooManyRequests }));

        // What the admitted attempts won holds on the requests: nobody above the shipped claim
        // limit, and the records agree (the script had 65 attempts admitted across 30 wishes).
        var holdings = await ClaimInvariants.AssertHold(world.Admin, wishes.Select(w => w.Id), [.. usernames, World.Volunteer("m1", 1)], limit: 5);
        Assert.Equal(wishes.Count, holdings.Requests.Values.Count(r => r.Claimants.Length == 1));

        foreach (var client in honest)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task The_global_limit_sheds_with_429_while_saturated_and_admits_again_once_requests_finish()
    {
        using var directory = new TempDirectory();
        var hold = new HeldRequests();
        await using var dispatch = new DispatchApp(directory.Path, new Dictionary<string, string?>
        {
            ["Dispatch:RateLimits:Concurrency:PermitLimit"] = "2",
            ["Dispatch:RateLimits:Concurrency:QueueLimit"] = "0",
            ["Dispatch:RateLimits:Concurrency:RetryAfter"] = "00:00:03",
        });
        await using var app = dispatch.WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(hold)));
        using var client = app.CreateClient();
        using var rejections = new RejectionCounter();

        // Two requests held in flight take both permits.
        var first = client.GetAsync(HeldRequests.Path);
        var second = client.GetAsync(HeldRequests.Path);
        await hold.Entered(2).WaitAsync(TimeSpan.FromSeconds(30));

        var shed = await client.PostAsync("/api/auth/token", new StringContent("{}", Encoding.UTF8, "application/json"));
        var problem = await DispatchClient.Problem(shed, HttpStatusCode.TooManyRequests);
        Assert.Equal(DispatchRateLimits.Concurrency, problem["limit"]!.GetValue<string>());
        Assert.Equal("3", shed.Headers.RetryAfter?.ToString());
        Assert.Equal(1, rejections.Of(DispatchRateLimits.Concurrency));

        // Probes and the pages hold no permit: they answer while the host is saturated.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/app")).StatusCode);

        hold.Release();
        Assert.Equal(HttpStatusCode.NoContent, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await second).StatusCode);
        var admitted = await client.PostAsync("/api/auth/token", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, admitted.StatusCode);
    }

    [Theory]
    [InlineData("Dispatch:RateLimits:ClaimsPerVolunteer:Burst", "0", "ClaimsPerVolunteer:Burst")]
    [InlineData("Dispatch:RateLimits:TokenPerAddress:Period", "00:00:00", "TokenPerAddress:Period")]
    [InlineData("Dispatch:RateLimits:Concurrency:PermitLimit", "0", "Concurrency:PermitLimit")]
    [InlineData("Dispatch:RateLimits:Concurrency:QueueLimit", "-1", "Concurrency:QueueLimit")]
    public void A_host_with_an_unusable_limit_does_not_start_and_names_the_setting(string key, string value, string named)
    {
        using var directory = new TempDirectory();
        using var app = new DispatchApp(directory.Path, new Dictionary<string, string?> { [key] = value });
        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Addresses_are_counted_as_themselves_or_by_their_ipv6_64(string address, string key) =>
        Assert.Equal(key, DispatchRateLimits.AddressKey(IPAddress.Parse(address)));

    private static async Task<int> Admitted(DispatchClient client, Guid wish, int attempts)
    {
        var admitted = 0;
        for (var i = 0; i < attempts; i++)
        {
            if ((await client.Post($"/api/requests/{wish}/claim")).StatusCode != HttpStatusCode.TooManyRequests)
            {
                admitted++;
            }
        }

        return admitted;
    }

    /// <summary>Signs in from <paramref name="address"/> (see <see cref="ClientAddresses"/>).</summary>
    private static async Task<(int Status, string? RetryAfter, JsonObject Body)> SignIn(HttpClient client, string address, string username, string password)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
        {
            Content = new StringContent($$"""{"username":"{{username}}","password":"{{password}}"}""", Encoding.UTF8, "application/json"),
        };
        message.Headers.Add(ClientAddresses.Header, address);
        using var response = await client.SendAsync(message);
        var retryAfter = response.Headers.RetryAfter?.ToString();
        return ((int)response.StatusCode, retryAfter, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>TestServer's requests come from no address: this test-only filter takes one from a header, first thing.</summary>
    internal sealed class ClientAddresses : IStartupFilter
    {
        public const string Header = "X-Test-Client-Address";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, inner) =>
            {
                if (context.Request.Headers[Header] is [{ } address])
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address);
                }

                return inner(context);
            });
            next(app);
        };
    }

    /// <summary>A test-only route at the end of the pipeline (inside the limits) that holds each request until released.</summary>
    private sealed class HeldRequests : IStartupFilter
    {
        public const string Path = "/test/held";

        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock arrivals = new();
        private int entered;
        private TaskCompletionSource? waiting;
        private int awaited;

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use(async (context, inner) =>
            {
                if (context.Request.Path != Path)
                {
                    await inner(context);
                    return;
                }

                lock (arrivals)
                {
                    entered++;
                    if (waiting is not null && entered >= awaited)
                    {
                        waiting.TrySetResult();
                    }
                }

                await release.Task;
                context.Response.StatusCode = StatusCodes.Status204NoContent;
            });
        };

        public Task Entered(int count)
        {
            lock (arrivals)
            {
                awaited = count;
                waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (entered >= count)
                {
                    waiting.TrySetResult();
                }

                return waiting.Task;
            }
        }

        public void Release() => release.TrySetResult();
    }

    /// <summary>Counts <c>dispatch.limits.rejected</c> by its <c>limit</c> tag while alive.</summary>
    private sealed class RejectionCounter : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

        public RejectionCounter()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == DispatchMetrics.MeterName && instrument.Name == "dispatch.limits.rejected")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "limit" && tag.Value is string limit)
                    {
                        counts.AddOrUpdate(limit, value, (_, total) => total + value);
                    }
                }
            });
            listener.Start();
        }

        public long Of(string limit) => counts.GetValueOrDefault(limit);

        public void Dispose() => listener.Dispose();
    }
}
