using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.WebHost.Telemetry;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dispatch.IntegrationTests.Api;

/// <summary>What operators watch: <c>/metrics</c>, readiness with the cluster membership, the admins' dashboard.</summary>
[Collection(MeteredAlone.Name)]
public sealed partial class TelemetryTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    [Fact]
    public async Task Metrics_answer_prometheus_text_with_claims_won_and_lost_by_reason_and_no_personal_data()
    {
        using var anonymous = World.App.Anonymous();
        using var staff = await World.As("staff-t1");
        using var winner = await World.As(World.Volunteer("m2", 1));
        using var loser = await World.As(World.Volunteer("m2", 2));
        var before = await Scrape(anonymous);

        var wish = await staff.CreateRequest("m2", title: "A winter coat");
        await winner.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await DispatchClient.Expect(await winner.Post($"/api/requests/{wish.Id}/claim"), HttpStatusCode.Conflict);
        await DispatchClient.Expect(await loser.Post($"/api/requests/{wish.Id}/claim"), HttpStatusCode.Conflict);

        // The exporter answers a scrape from its cache for a moment, and Orleans' meter reports its
        // first measurements on its own schedule: wait for a scrape made after both.
        var after = await Eventually.Get(
            () => Scrape(anonymous),
            scrape => Claims(scrape, "won") > Claims(before, "won") && Claims(scrape, "lost", "full") > Claims(before, "lost", "full")
                && scrape.Contains("orleans_", StringComparison.Ordinal)
                && scrape.Contains("http_server_request_duration_seconds", StringComparison.Ordinal));
        Assert.True(Claims(after, "won") >= Claims(before, "won") + 1, after);
        Assert.True(Claims(after, "lost", "alreadyClaimed") >= Claims(before, "lost", "alreadyClaimed") + 1, after);
        Assert.True(Claims(after, "lost", "full") >= Claims(before, "lost", "full") + 1, after);

        // Orleans' own meter and ASP.NET Core's are there too.
        Assert.Contains("orleans_", after, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", after, StringComparison.Ordinal);

        // Counts by outcome and reason, never a beneficiary, a title or an id.
        Assert.DoesNotContain("Xiao Ming", after, StringComparison.Ordinal);
        Assert.DoesNotContain("winter coat", after, StringComparison.Ordinal);
        Assert.DoesNotContain(wish.Id.ToString(), after, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_count_watching_consoles_and_the_lag_of_the_events_sent_to_them()
    {
        using var anonymous = World.App.Anonymous();
        using var staff = await World.As("staff-t1");
        var before = await Scrape(anonymous);

        await using var console = await ConsoleClient.Connect(World.App, staff);
        await console.Watch("m1");
        await staff.CreateRequest("m1", title: "A lamp");
        await console.Next(1);

        var after = await Eventually.Get(
            () => Scrape(anonymous),
            scrape => Value(scrape, "dispatch_fanout_lag_milliseconds_count") > Value(before, "dispatch_fanout_lag_milliseconds_count"));
        Assert.True(Value(after, "dispatch_fanout_lag_milliseconds_count") > Value(before, "dispatch_fanout_lag_milliseconds_count"), after);
        Assert.True(Value(after, "dispatch_consoles_active") >= 1, after);
    }

    [Fact]
    public async Task Readiness_includes_storage_and_the_membership_of_the_local_silo()
    {
        using var anonymous = World.App.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Get("/health/ready")).StatusCode);

        var report = await World.App.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains("ready"));
        Assert.Equal(["cluster", "membership", "queryStore", "storage"], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(HealthStatus.Healthy, report.Entries["queryStore"].Status);
        var membership = report.Entries["membership"];
        Assert.Equal(HealthStatus.Healthy, membership.Status);
        Assert.Equal("Active", membership.Data["status"]);
    }

    [Fact]
    public async Task The_dashboard_is_for_admins_only()
    {
        using var anonymous = World.App.Anonymous();
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        using var staff = await World.As("staff-t1");
        using var admin = await World.App.Admin();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Get("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Get("/dashboard/DashboardCounters")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await volunteer.Get("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Get("/dashboard/ClusterStats")).StatusCode);

        var page = await admin.Get("/dashboard/");
        await DispatchClient.Expect(page, HttpStatusCode.OK);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        await DispatchClient.Expect(await admin.Get("/dashboard/DashboardCounters"), HttpStatusCode.OK);

        // Grain state would show stored personal data (password hashes, beneficiaries' contacts): off.
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Get("/dashboard/GrainState?grainId=admin&grainType=AccountGrain")).StatusCode);
        foreach (var spelling in new[] { "/dashboard/GrainState/", "/dashboard/grainstate/", "/dashboard//GrainState", "/dashboard/GrainState%2F", "/dashboard/Grain%53tate/" })
        {
            var answer = await admin.Get($"{spelling}?grainId=admin&grainType=AccountGrain");
            Assert.True(answer.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{spelling}: {answer.StatusCode}");
            Assert.DoesNotContain("PasswordHash", await answer.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        // Nothing of it in the API description.
        Assert.DoesNotContain("/dashboard", await (await anonymous.Get("/openapi/v1.json")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dashboard/SiloCounters/not-a-silo")]
    [InlineData("/dashboard/SiloStats/8c7f1f43-8a3e-4b8e-9d0e-0c1e5a2b7d11")]
    [InlineData("/dashboard/HistoricalStats/127.0.0.1")]
    public async Task A_dashboard_address_that_is_no_silos_is_a_bad_request_naming_it(string path)
    {
        using var admin = await World.App.Admin();
        var problem = await DispatchClient.Problem(await admin.Get(path), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]?["address"]);
    }

    [Fact]
    public async Task A_browser_opens_the_dashboard_with_the_admin_token_in_the_address_once_then_a_cookie_for_the_dashboard_alone()
    {
        using var admin = await World.App.Admin();
        using var volunteer = await World.As(World.Volunteer("m1", 2));
        using var browser = World.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        var opened = await browser.GetAsync($"/dashboard?access_token={Token(admin)}");
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal("/dashboard/", opened.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{DashboardAccess.CookieName}=", setCookie, StringComparison.Ordinal);
        Assert.Contains("path=/dashboard", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", setCookie, StringComparison.OrdinalIgnoreCase);
        var cookie = setCookie.Split(';')[0];

        // The page's own calls carry the cookie.
        Assert.Equal(HttpStatusCode.OK, (await Send(browser, "/dashboard/", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(browser, "/dashboard/ClusterStats", cookie)).StatusCode);

        // The cookie is worth nothing outside the dashboard, and a query token nothing outside it either.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(browser, "/api/accounts/me", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync($"/api/accounts/me?access_token={Token(admin)}")).StatusCode);

        // A volunteer's token opens nothing and leaves no cookie; a forged cookie neither.
        var refused = await browser.GetAsync($"/dashboard/?access_token={Token(volunteer)}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(browser, "/dashboard/ClusterStats", $"{DashboardAccess.CookieName}=not-a-token")).StatusCode);
    }

    private static async Task<string> Scrape(DispatchClient client)
    {
        var response = await client.Get(TelemetryHostingExtensions.MetricsPath);
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of <c>dispatch_claims_total</c> with these tags (0 when the series is not there yet).</summary>
    private static double Claims(string scrape, string outcome, string? reason = null)
    {
        var total = 0.0;
        foreach (Match line in ClaimsLine().Matches(scrape))
        {
            var labels = line.Groups["labels"].Value;
            if (labels.Contains($"outcome=\"{outcome}\"", StringComparison.Ordinal)
                && (reason is null ? !labels.Contains("reason=", StringComparison.Ordinal) : labels.Contains($"reason=\"{reason}\"", StringComparison.Ordinal)))
            {
                total += double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    /// <summary>The sum of the series of <paramref name="metric"/> (0 when none is there yet).</summary>
    private static double Value(string scrape, string metric) =>
        Regex.Matches(scrape, $@"^{Regex.Escape(metric)}(\{{[^}}]*\}})? (?<value>\S+)", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    private static string Token(DispatchClient client) => client.Http.DefaultRequestHeaders.Authorization!.Parameter!;

    private static Task<HttpResponseMessage> Send(HttpClient client, string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }

    [GeneratedRegex(@"^dispatch_claims_total\{(?<labels>[^}]*)\} (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex ClaimsLine();
}

