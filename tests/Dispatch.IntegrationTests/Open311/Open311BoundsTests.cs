using System.Globalization;
using System.Net;
using System.Text;
using Dispatch.IntegrationTests.Security;
using Dispatch.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Open311;

/// <summary>
/// What an anonymous caller can make Open311 do is bounded: a read's span (90 days) and its list
/// of ids (50), a POST's body (64 KB, refused as soon as its length says so), a key in the query
/// string checked before the body is read, and a per-address limit on reads; each refusal in
/// GeoReport's error list.
/// </summary>
public sealed class Open311BoundsTests(Open311Fixture fixture) : IClassFixture<Open311Fixture>
{
    [Theory]
    [InlineData("servicerequestupdates", "?jurisdiction_id=c1&start_date=0001-01-01T00:00:00Z&end_date=9999-12-31T00:00:00Z")]
    [InlineData("servicerequestupdates", "?jurisdiction_id=c1&start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:01Z")]
    [InlineData("requests", "?jurisdiction_id=c1&start_date=2025-01-01T00:00:00Z&end_date=2026-01-01T00:00:00Z")]
    public async Task A_span_longer_than_90_days_is_refused_with_400_naming_end_date(string resource, string query)
    {
        var answer = await fixture.Client().Get(resource, query);

        Assert.Contains(GeoReport.Errors(answer, HttpStatusCode.BadRequest), e => e.Contains("end_date", StringComparison.Ordinal) && e.Contains("90 days", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_span_of_exactly_90_days_is_answered()
    {
        var answer = await fixture.Client().Get("servicerequestupdates", "?jurisdiction_id=c1&start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task More_than_50_ids_are_refused_with_400_and_50_are_answered()
    {
        var client = fixture.Client();
        string Ids(int count) => string.Join(',', Enumerable.Range(0, count).Select(_ => Guid.NewGuid()));

        var refused = await client.Get("requests", $"?service_request_id={Ids(51)}");
        Assert.Contains("at most 50", Assert.Single(GeoReport.Errors(refused, HttpStatusCode.BadRequest)), StringComparison.Ordinal);

        var answered = await client.Get("requests", $"?service_request_id={Ids(50)}");
        Assert.Equal(HttpStatusCode.OK, answered.Status);
        Assert.Empty(answered.Json.AsArray());
    }

    [Fact]
    public async Task A_body_over_64_KB_is_refused_with_413_and_creates_nothing()
    {
        var before = await fixture.BoardTotal("m1");
        var client = fixture.Client();
        var description = new string('x', 64 * 1024);
        (string, string)[] fields = [("api_key", fixture.KeyM1), ("jurisdiction_id", "m1"), ("service_code", "wish"), ("address_string", "Building 3"), ("description", description)];

        var answer = await GeoReport.Both(await client.Post("json", fields), await client.Post("xml", fields));

        Assert.Contains("64 KB", Assert.Single(GeoReport.Errors(answer, HttpStatusCode.RequestEntityTooLarge)), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.BoardTotal("m1"));
    }

    [Fact]
    public async Task A_body_of_unknown_length_stops_being_read_at_64_KB()
    {
        var client = fixture.Client();
        using var endless = new EndlessForm($"api_key={Uri.EscapeDataString(fixture.KeyM1)}&jurisdiction_id=m1&service_code=wish&description=");

        var answer = await client.Http.PostAsync($"{GeoReport.Base}/requests.json", endless).WaitAsync(TimeSpan.FromSeconds(30));

        // (The in-memory test server takes the whole body from the client whatever the host reads.)
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
    }

    [Fact]
    public async Task A_bad_key_in_the_query_string_is_refused_before_the_body_is_read()
    {
        var client = fixture.Client();

        // Were the body read first, 64 MB would be, and refused for its size (413) rather than its key.
        using var endless = new EndlessForm("jurisdiction_id=m1&service_code=wish&description=");
        var answer = await client.Http.PostAsync($"{GeoReport.Base}/requests.json?api_key=0123456789abcdef0123456789abcdef.not-the-secret", endless)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        var refusal = await answer.Content.ReadAsStringAsync();
        Assert.Contains("api_key", refusal, StringComparison.Ordinal);
        Assert.Contains("is not valid", refusal, StringComparison.Ordinal);

        // A good key in the query string files as one in the form does.
        var before = await fixture.BoardTotal("m1");
        var filed = await client.Http.PostAsync(
            $"{GeoReport.Base}/requests.json?api_key={Uri.EscapeDataString(fixture.KeyM1)}",
            new FormUrlEncodedContent([KeyValuePair.Create("jurisdiction_id", "m1"), KeyValuePair.Create("service_code", "wish"), KeyValuePair.Create("address_string", "Building 3")]));
        Assert.Equal(HttpStatusCode.OK, filed.StatusCode);
        Assert.Equal(before + 1, await fixture.BoardTotal("m1"));
    }

    [Fact]
    public async Task Anonymous_reads_have_a_per_address_limit_answered_in_GeoReport_errors()
    {
        var clock = new FakeTimeProvider();
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, new Dictionary<string, string?>
        {
            ["Dispatch:RateLimits:Open311ReadsPerAddress:Burst"] = "3",
            ["Dispatch:RateLimits:Open311ReadsPerAddress:Refill"] = "1",
            ["Dispatch:RateLimits:Open311ReadsPerAddress:Period"] = "00:00:10",
        }, clock);
        await using var host = app.WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, RateLimitTests.ClientAddresses>()));
        using var http = host.CreateClient();

        Task<HttpResponseMessage> Read(string address, string resource = "discovery.json")
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{GeoReport.Base}/{resource}");
            request.Headers.Add(RateLimitTests.ClientAddresses.Header, address);
            return http.SendAsync(request);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Read("203.0.113.7")).StatusCode);
        }

        var refused = await Read("203.0.113.7", "services.xml?jurisdiction_id=m1");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("10", refused.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        var errors = System.Xml.Linq.XDocument.Parse(await refused.Content.ReadAsStringAsync()).Root!;
        Assert.Equal("errors", errors.Name.LocalName);
        Assert.Equal("429", errors.Element("error")!.Element("code")!.Value);

        // Another address has its own bucket; the clock gives one back.
        Assert.Equal(HttpStatusCode.OK, (await Read("203.0.113.8")).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await Read("203.0.113.7")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Read("203.0.113.7")).StatusCode);
    }

    /// <summary>A form body with no length, of 64 MB.</summary>
    private sealed class EndlessForm : HttpContent
    {
        private readonly string start;

        public EndlessForm(string start)
        {
            this.start = start;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        public long Written { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var head = Encoding.ASCII.GetBytes(start);
            await stream.WriteAsync(head);
            Written += head.Length;
            var chunk = Encoding.ASCII.GetBytes(new string('x', 4096));
            while (Written < 64L * 1024 * 1024)
            {
                await stream.WriteAsync(chunk);
                Written += chunk.Length;
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

    }
}
