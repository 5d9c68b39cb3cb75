using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.WebHost.Auth;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// The refresh token in an HttpOnly cookie (the volunteer app's way to stay signed in for weeks):
/// its attributes, rotation at every refresh, a reused one refused (and the account's others with
/// it), signing out, and signing out everywhere. The cookie is carried by hand: it is Secure, and
/// the in-process client speaks plain HTTP.
/// </summary>
public sealed class RefreshCookieTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    private async Task<string> NewVolunteer(string username)
    {
        await World.Admin.CreateAccount(username, "volunteer", "m1", World.Password);
        return username;
    }

    private HttpClient Browser() => World.App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

    /// <summary>The refresh cookie that an answer sets (its Set-Cookie line), or null.</summary>
    private static string? SetCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var lines)
            ? lines.SingleOrDefault(l => l.StartsWith(RefreshCookie.Name + "=", StringComparison.Ordinal))
            : null;

    private static string ValueOf(string setCookie) => setCookie[(RefreshCookie.Name.Length + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];

    private static async Task<HttpResponseMessage> Post(HttpClient http, string path, string json, string? cookie = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (cookie is not null)
        {
            message.Headers.Add("Cookie", $"{RefreshCookie.Name}={cookie}");
        }

        return await http.SendAsync(message);
    }

    private static async Task<string> SignInWithCookie(HttpClient http, string username)
    {
        var response = await Post(http, "/api/auth/token", $$"""{"username":"{{username}}","password":"{{World.Password}}","refreshCookie":true}""");
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        return ValueOf(SetCookie(response)!);
    }

    private static async Task<string> Refreshed(HttpClient http, string cookie)
    {
        var response = await Post(http, "/api/auth/refresh", "{}", cookie);
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        return ValueOf(SetCookie(response)!);
    }

    [Fact]
    public async Task Asked_for_at_sign_in_the_refresh_token_is_an_HttpOnly_Secure_Strict_cookie_of_the_token_routes_and_not_in_the_answer()
    {
        var volunteer = await NewVolunteer("cookie-attrs");
        using var http = Browser();

        var response = await Post(http, "/api/auth/token", $$"""{"username":"{{volunteer}}","password":"{{World.Password}}","refreshCookie":true}""");
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(body["accessToken"]?.GetValue<string>()));
        Assert.Null(body["refreshToken"]?.GetValue<string>());
        var expires = body["refreshExpiresAt"]!.GetValue<DateTimeOffset>();
        Assert.True(expires > DateTimeOffset.UtcNow.AddDays(7), "the app stays signed in for weeks");

        var cookie = SetCookie(response)!;
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/api/auth", attributes);
        Assert.Contains(attributes, a => a.StartsWith("expires=", StringComparison.Ordinal));
        Assert.StartsWith(volunteer + "%3A", ValueOf(cookie), StringComparison.Ordinal);

        // Without asking, nothing changes: the token is in the answer and no cookie is set.
        var plain = await Post(http, "/api/auth/token", $$"""{"username":"{{volunteer}}","password":"{{World.Password}}"}""");
        Assert.Null(SetCookie(plain));
        Assert.False(string.IsNullOrEmpty((await plain.Content.ReadFromJsonAsync<JsonObject>())!["refreshToken"]?.GetValue<string>()));
    }

    [Fact]
    public async Task A_refresh_with_the_cookie_rotates_it_and_answers_without_the_token()
    {
        var volunteer = await NewVolunteer("cookie-rotate");
        using var http = Browser();
        var first = await SignInWithCookie(http, volunteer);

        var response = await Post(http, "/api/auth/refresh", "{}", first);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(body["accessToken"]?.GetValue<string>()));
        Assert.Null(body["refreshToken"]?.GetValue<string>());
        var second = ValueOf(SetCookie(response)!);
        Assert.NotEqual(first, second);
        Assert.Contains("httponly", SetCookie(response)!.ToLowerInvariant());

        // The rotated cookie works in turn; a body token, when given, still wins over the cookie.
        var third = await Refreshed(http, second);
        Assert.NotEqual(second, third);
        var missing = await Post(http, "/api/auth/refresh", """{"refreshToken":""}""");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task A_reused_cookie_is_refused_and_deleted_and_every_token_of_the_account_stops()
    {
        var volunteer = await NewVolunteer("cookie-reuse");
        using var http = Browser();
        var first = await SignInWithCookie(http, volunteer);
        var second = await Refreshed(http, first);
        var third = await Refreshed(http, second);

        // The first cookie again, after what it bought was used: stolen, so the account's tokens all stop.
        var reused = await Post(http, "/api/auth/refresh", "{}", first);
        await DispatchClient.Problem(reused, HttpStatusCode.Unauthorized);
        Assert.Contains("expires=thu, 01 jan 1970", SetCookie(reused)!.ToLowerInvariant());
        await DispatchClient.Problem(await Post(http, "/api/auth/refresh", "{}", third), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Signing_out_with_the_cookie_revokes_it_and_deletes_it()
    {
        var volunteer = await NewVolunteer("cookie-signout");
        using var http = Browser();
        var cookie = await SignInWithCookie(http, volunteer);
        var otherDevice = await SignInWithCookie(http, volunteer);

        var signedOut = await Post(http, "/api/auth/revoke", "{}", cookie);
        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        Assert.Contains("expires=thu, 01 jan 1970", SetCookie(signedOut)!.ToLowerInvariant());
        await DispatchClient.Problem(await Post(http, "/api/auth/refresh", "{}", cookie), HttpStatusCode.Unauthorized);

        // Only this device signed out.
        await Refreshed(http, otherDevice);
    }

    [Fact]
    public async Task Signing_out_everywhere_stops_every_refresh_token_of_the_account()
    {
        var volunteer = await NewVolunteer("cookie-everywhere");
        using var http = Browser();
        var phone = await SignInWithCookie(http, volunteer);
        var tablet = await SignInWithCookie(http, volunteer);
        using var desk = await World.App.LoginAs(volunteer, World.Password);
        using var stranger = await World.App.LoginAs(World.Volunteer("m1", 1), World.Password);

        Assert.Equal(HttpStatusCode.NoContent, (await Post(http, "/api/auth/revoke", """{"everywhere":true}""", phone)).StatusCode);

        await DispatchClient.Problem(await Post(http, "/api/auth/refresh", "{}", phone), HttpStatusCode.Unauthorized);
        await DispatchClient.Problem(await Post(http, "/api/auth/refresh", "{}", tablet), HttpStatusCode.Unauthorized);
        await DispatchClient.Problem(await desk.Refresh(), HttpStatusCode.Unauthorized);

        // Another account's tokens are untouched; a dead token cannot sign anyone out everywhere.
        var strangerToken = stranger.RefreshToken!;
        await DispatchClient.Problem(await Post(http, "/api/auth/revoke", """{"everywhere":true}""", tablet), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Post(http, "/api/auth/refresh", $$"""{"refreshToken":"{{strangerToken}}"}""")).StatusCode);
    }
}
