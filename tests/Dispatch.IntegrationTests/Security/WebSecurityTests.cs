using System.Net;
using Dispatch.IntegrationTests.Support;
using Dispatch.WebHost.Telemetry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dispatch.IntegrationTests.Security;

/// <summary>Security headers, CORS, the dashboard cookie's flags and HTTPS, on the in-process host (environment Testing).</summary>
public sealed class WebSecurityTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private const string Allowed = "https://volunteers.example.org";

    [Theory]
    [InlineData("/app")]
    [InlineData("/console")]
    [InlineData("/js/common.js")]
    [InlineData("/api/accounts/me")]
    [InlineData("/no/such/route")]
    public async Task Every_answer_carries_the_strict_policy_and_headers(string path)
    {
        using var client = fixture.App.CreateClient();
        var response = await client.GetAsync(path);

        var csp = Single(response, "Content-Security-Policy");
        foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "worker-src 'self'", "manifest-src 'self'", "style-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'" })
        {
            Assert.Contains(directive, csp, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"), ignoreCase: true);
        Assert.False(response.Headers.Contains("Strict-Transport-Security")); // Plain HTTP.
    }

    [Fact]
    public async Task The_dashboard_has_its_own_policy_that_allows_inline_styles_and_nothing_else_inline()
    {
        using var client = fixture.App.CreateClient();
        var csp = Single(await client.GetAsync($"{DashboardAccess.Path}/"), "Content-Security-Policy");
        Assert.Contains("style-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_configured_origins_no_other_site_is_allowed()
    {
        using var client = fixture.App.CreateClient();
        var preflight = await client.SendAsync(Preflight(Allowed));
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));

        using var simple = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        simple.Headers.Add("Origin", Allowed);
        Assert.False((await client.SendAsync(simple)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_configured_origin_is_allowed_by_name_and_no_other()
    {
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, new Dictionary<string, string?> { ["Dispatch:Cors:Origins:0"] = Allowed });
        using var client = app.CreateClient();

        var preflight = await client.SendAsync(Preflight(Allowed));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Allowed, Single(preflight, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Single(preflight, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("authorization", Single(preflight, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Credentials"));

        using var answer = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        answer.Headers.Add("Origin", Allowed);
        Assert.Equal(Allowed, Single(await client.SendAsync(answer), "Access-Control-Allow-Origin"));

        Assert.False((await client.SendAsync(Preflight("https://elsewhere.example"))).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://*.example.org")]
    [InlineData("https://volunteers.example.org/")]
    [InlineData("volunteers.example.org")]
    public void A_wildcard_or_malformed_origin_stops_the_host_from_starting(string origin)
    {
        using var directory = new TempDirectory();
        using var app = new DispatchApp(directory.Path, new Dictionary<string, string?> { ["Dispatch:Cors:Origins:0"] = origin });
        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Dispatch:Cors:Origins", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_cookie_is_secure_outside_development_even_over_plain_http()
    {
        var setCookie = await DashboardCookie(fixture.App);
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task In_development_over_plain_http_the_dashboard_cookie_is_not_secure_so_that_it_works_and_nothing_redirects()
    {
        using var directory = new TempDirectory();
        await using var dispatch = new DispatchApp(directory.Path, new Dictionary<string, string?> { ["https_port"] = "443" });
        await using var app = dispatch.WithWebHostBuilder(builder => builder.UseEnvironment("Development"));
        var setCookie = await DashboardCookie(app);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Outside_development_https_answers_carry_hsts_and_plain_http_is_redirected_once_an_https_port_is_known()
    {
        using (var client = fixture.App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://dispatch.example") }))
        {
            Assert.Equal("max-age=31536000", Single(await client.GetAsync("/health/live"), "Strict-Transport-Security"));
        }

        // No HTTPS port known (this test host, or a host behind a TLS proxy on plain HTTP): answered as it is.
        using (var client = fixture.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        }

        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, new Dictionary<string, string?> { ["https_port"] = "443" });
        using var plain = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://dispatch.example") });
        var redirected = await plain.GetAsync("/app");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal("https://dispatch.example/app", redirected.Headers.Location?.ToString());
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var message = new HttpRequestMessage(HttpMethod.Options, "/api/auth/token");
        message.Headers.Add("Origin", origin);
        message.Headers.Add("Access-Control-Request-Method", "POST");
        message.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        return message;
    }

    private static async Task<string> DashboardCookie(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app)
    {
        using var signIn = new DispatchClient(app.CreateClient());
        await signIn.Login("admin", DispatchApp.AdminPassword);
        var token = signIn.Http.DefaultRequestHeaders.Authorization!.Parameter;
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var opened = await browser.GetAsync($"{DashboardAccess.Path}/?access_token={token}");
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        return Assert.Single(opened.Headers.GetValues("Set-Cookie"));
    }

    private static string Single(HttpResponseMessage response, string header) =>
        string.Join(", ", response.Headers.TryGetValues(header, out var values) ? values
            : response.Content.Headers.TryGetValues(header, out var content) ? content
            : throw new Xunit.Sdk.XunitException($"No {header} header on {(int)response.StatusCode} {response.RequestMessage?.RequestUri}"));
}
