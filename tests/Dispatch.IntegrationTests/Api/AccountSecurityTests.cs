using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Api;

/// <summary>The real sign-in limits (the other fixtures raise them), on a clock the tests move.</summary>
public sealed class AccountSecurityFixture() : WorldFixture(new FakeTimeProvider(DateTimeOffset.UtcNow))
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatch:Auth:SignInsPerMinute"] = "10",
    };
}

/// <summary>
/// Short-lived access tokens with refresh tokens; disabling an account, a new password or a new
/// role stop its refresh tokens at once and its access tokens when they expire; lockouts after
/// wrong passwords, reported to the account's staff. Each test uses accounts of its own, because
/// the clock and the accounts are shared by the class.
/// </summary>
public sealed class AccountSecurityTests(AccountSecurityFixture fixture) : IClassFixture<AccountSecurityFixture>
{
    private static readonly TimeSpan PastAccessTokenLifetime = TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(31);

    private World World => fixture.World;

    private FakeTimeProvider Clock => fixture.Clock!;

    [Fact]
    public async Task An_access_token_lasts_fifteen_minutes_and_a_refresh_token_buys_a_new_pair_once()
    {
        var volunteer = await NewVolunteer("sec-refresh");
        using var client = await World.App.LoginAs(volunteer, World.Password);
        var first = client.RefreshToken!;

        Clock.Advance(PastAccessTokenLifetime);
        await DispatchClient.Expect(await client.Get("/api/accounts/me"), HttpStatusCode.Unauthorized);

        await DispatchClient.Expect(await client.Refresh(), HttpStatusCode.OK);
        Assert.NotEqual(first, client.RefreshToken);
        await DispatchClient.Expect(await client.Get("/api/accounts/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refresh_token_used_twice_revokes_the_one_that_replaced_it()
    {
        var volunteer = await NewVolunteer("sec-reuse");
        using var holder = await World.App.LoginAs(volunteer, World.Password);
        var stolen = holder.RefreshToken!;
        await DispatchClient.Expect(await holder.Refresh(), HttpStatusCode.OK);

        // Past the few seconds in which a retry after a lost answer gets the same pair again.
        Clock.Advance(TimeSpan.FromSeconds(11));
        using var thief = World.App.Anonymous();
        var replay = await thief.Post("/api/auth/refresh", new { refreshToken = stolen });
        await DispatchClient.Problem(replay, HttpStatusCode.Unauthorized);

        await DispatchClient.Problem(await holder.Refresh(), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_refresh_retried_within_seconds_after_a_lost_answer_gets_the_same_pair_and_revokes_nothing()
    {
        var volunteer = await NewVolunteer("sec-retry");
        using var client = await World.App.LoginAs(volunteer, World.Password);
        using var anonymous = World.App.Anonymous();
        var sent = client.RefreshToken!;

        // The answer to the first refresh is lost on the way; the client retries a few seconds later.
        var lost = await anonymous.PostOk<JsonObject>("/api/auth/refresh", new { refreshToken = sent });
        Clock.Advance(TimeSpan.FromSeconds(4));
        var retried = await anonymous.PostOk<JsonObject>("/api/auth/refresh", new { refreshToken = sent });
        Assert.Equal(lost["refreshToken"]!.GetValue<string>(), retried["refreshToken"]!.GetValue<string>());

        // Nothing was revoked: the pair it holds works, once.
        var next = await anonymous.PostOk<JsonObject>("/api/auth/refresh", new { refreshToken = retried["refreshToken"]!.GetValue<string>() });
        Assert.NotNull(next["accessToken"]);

        // Once that pair was used, the old token again is a reuse: every token of the account stops.
        await DispatchClient.Problem(await anonymous.Post("/api/auth/refresh", new { refreshToken = sent }), HttpStatusCode.Unauthorized);
        await DispatchClient.Problem(await anonymous.Post("/api/auth/refresh", new { refreshToken = next["refreshToken"]!.GetValue<string>() }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Signing_out_revokes_the_refresh_token()
    {
        var volunteer = await NewVolunteer("sec-signout");
        using var client = await World.App.LoginAs(volunteer, World.Password);
        var token = client.RefreshToken!;

        await DispatchClient.Expect(await client.Post("/api/auth/revoke", new { refreshToken = token }), HttpStatusCode.NoContent);
        await DispatchClient.Expect(await client.Post("/api/auth/revoke", new { refreshToken = token }), HttpStatusCode.NoContent);
        await DispatchClient.Problem(await client.Refresh(), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"refreshToken":""}""")]
    [InlineData("""{"refreshToken":42}""")]
    public async Task A_missing_or_malformed_refresh_token_is_a_bad_request_naming_the_field(string json)
    {
        using var anonymous = World.App.Anonymous();
        var problem = await DispatchClient.Problem(await anonymous.PostRaw("/api/auth/refresh", json), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]?["refreshToken"] ?? problem["errors"]?["$.refreshToken"]);
    }

    [Theory]
    [InlineData("no-separator")]
    [InlineData("nobody-here:secret")]
    [InlineData("../../etc:secret")]
    public async Task A_refresh_token_that_names_no_account_is_unauthorized(string token)
    {
        using var anonymous = World.App.Anonymous();
        await DispatchClient.Problem(await anonymous.Post("/api/auth/refresh", new { refreshToken = token }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Staff_disable_a_volunteer_in_scope_whose_refresh_stops_at_once_and_access_within_the_lifetime()
    {
        var volunteer = await NewVolunteer("sec-disable");
        using var client = await World.App.LoginAs(volunteer, World.Password);
        using var staff = await World.As("staff-t1");

        var disabled = await staff.PostOk<JsonObject>($"/api/accounts/{volunteer}/disable", new { reason = "Sweeping the board with a script" });
        Assert.True(disabled["disabled"]!.GetValue<bool>());

        await DispatchClient.Problem(await client.Refresh(), HttpStatusCode.Unauthorized);
        var signIn = await World.App.Anonymous().Post("/api/auth/token", new { username = volunteer, password = World.Password });
        Assert.Equal("accountDisabled", (await DispatchClient.Problem(signIn, HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());

        // The access token it holds runs out within its lifetime.
        await DispatchClient.Expect(await client.Get("/api/accounts/me"), HttpStatusCode.OK);
        Clock.Advance(PastAccessTokenLifetime);
        await DispatchClient.Expect(await client.Get("/api/accounts/me"), HttpStatusCode.Unauthorized);

        using var staffAgain = await World.As("staff-t1");
        var events = await staffAgain.GetOk<JsonArray>("/api/places/m1/security-events");
        var recorded = events.Last(e => e!["username"]!.GetValue<string>() == volunteer)!;
        Assert.Equal("disabled", recorded["kind"]!.GetValue<string>());
        Assert.Equal("staff-t1", recorded["by"]!.GetValue<string>());
        Assert.Equal("Sweeping the board with a script", recorded["note"]!.GetValue<string>());

        await staffAgain.PostOk<JsonObject>($"/api/accounts/{volunteer}/enable");
        using var again = await World.App.LoginAs(volunteer, World.Password);
    }

    [Fact]
    public async Task Only_staff_in_scope_disable_and_only_volunteers_and_admins_not_themselves()
    {
        var volunteer = await NewVolunteer("sec-scope");
        using var outsideStaff = await World.As("staff-m3");
        using var staff = await World.As("staff-t1");
        using var otherVolunteer = await World.As(World.Volunteer("m1", 1));
        using var admin = await World.App.Admin();

        await DispatchClient.Problem(await outsideStaff.Post($"/api/accounts/{volunteer}/disable"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await otherVolunteer.Post($"/api/accounts/{volunteer}/disable"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await staff.Post("/api/accounts/staff-m3/disable"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await admin.Post("/api/accounts/admin/disable"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await staff.Post("/api/accounts/nobody-at-all/disable"), HttpStatusCode.NotFound);
        var tooLong = await staff.Post($"/api/accounts/{volunteer}/disable", new { reason = new string('x', 501) });
        Assert.NotNull((await DispatchClient.Problem(tooLong, HttpStatusCode.BadRequest))["errors"]!["reason"]);

        // Nothing changed: the volunteer still signs in.
        using var stillIn = await World.App.LoginAs(volunteer, World.Password);
    }

    [Fact]
    public async Task A_new_password_needs_the_current_one_meets_the_policy_and_revokes_refresh_tokens()
    {
        var volunteer = await NewVolunteer("sec-password");
        using var client = await World.App.LoginAs(volunteer, World.Password);
        using var otherDevice = await World.App.LoginAs(volunteer, World.Password);

        var wrong = await client.Put($"/api/accounts/{volunteer}/password", new { currentPassword = "not-my-password", newPassword = "a new passphrase" });
        Assert.NotNull((await DispatchClient.Problem(wrong, HttpStatusCode.BadRequest))["errors"]!["currentPassword"]);
        var weak = await client.Put($"/api/accounts/{volunteer}/password", new { currentPassword = World.Password, newPassword = "12345678" });
        Assert.NotNull((await DispatchClient.Problem(weak, HttpStatusCode.BadRequest))["errors"]!["newPassword"]);
        var missing = await client.Put($"/api/accounts/{volunteer}/password", new { newPassword = "a new passphrase" });
        Assert.NotNull((await DispatchClient.Problem(missing, HttpStatusCode.BadRequest))["errors"]!["currentPassword"]);
        await DispatchClient.Expect(await otherDevice.Refresh(), HttpStatusCode.OK);

        var changed = await client.Put($"/api/accounts/{volunteer}/password", new { currentPassword = World.Password, newPassword = "a new passphrase" });
        await DispatchClient.Expect(changed, HttpStatusCode.OK);
        var body = await changed.Content.ReadAsStringAsync();
        Assert.DoesNotContain("passphrase", body, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", body, StringComparison.OrdinalIgnoreCase);

        await DispatchClient.Problem(await otherDevice.Refresh(), HttpStatusCode.Unauthorized);
        await DispatchClient.Problem(await client.Refresh(), HttpStatusCode.Unauthorized);
        using var anonymous = World.App.Anonymous();
        await DispatchClient.Problem(await anonymous.Post("/api/auth/token", new { username = volunteer, password = World.Password }), HttpStatusCode.Unauthorized);
        using var withNew = await World.App.LoginAs(volunteer, "a new passphrase");
    }

    [Fact]
    public async Task Staff_reset_a_volunteers_password_without_knowing_it_but_not_a_staff_members()
    {
        var volunteer = await NewVolunteer("sec-reset");
        using var staff = await World.As("staff-t1");
        await DispatchClient.Expect(await staff.Put($"/api/accounts/{volunteer}/password", new { newPassword = "given by staff 1" }), HttpStatusCode.OK);
        using var withNew = await World.App.LoginAs(volunteer, "given by staff 1");

        await DispatchClient.Problem(await staff.Put("/api/accounts/staff-m3/password", new { newPassword = "given by staff 1" }), HttpStatusCode.Forbidden);
        using var volunteerClient = await World.As(World.Volunteer("m1", 2));
        await DispatchClient.Problem(await volunteerClient.Put($"/api/accounts/{volunteer}/password", new { newPassword = "given by staff 1" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_admin_changing_a_role_revokes_refresh_tokens_and_the_next_token_carries_the_new_role()
    {
        var volunteer = await NewVolunteer("sec-role");
        using var client = await World.App.LoginAs(volunteer, World.Password);
        using var admin = await World.App.Admin();
        using var staff = await World.As("staff-t1");

        var invalid = await admin.Put($"/api/accounts/{volunteer}/role", new { role = "volunteer", placeId = "t1" });
        Assert.NotNull((await DispatchClient.Problem(invalid, HttpStatusCode.BadRequest))["errors"]!["placeId"]);
        await DispatchClient.Problem(await staff.Put($"/api/accounts/{volunteer}/role", new { role = "staff", placeId = "m1" }), HttpStatusCode.Forbidden);

        var changed = await admin.Put($"/api/accounts/{volunteer}/role", new { role = "staff", placeId = "m1" });
        await DispatchClient.Expect(changed, HttpStatusCode.OK);

        await DispatchClient.Problem(await client.Refresh(), HttpStatusCode.Unauthorized);
        using var again = await World.App.LoginAs(volunteer, World.Password);
        var me = await again.GetOk<JsonObject>("/api/accounts/me");
        Assert.Equal("staff", me["role"]!.GetValue<string>());
        Assert.Contains(volunteer, (await staff.GetOk<JsonArray>("/api/places/m1/security-events")).Select(e => e!["username"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Wrong_passwords_in_a_row_lock_the_account_tell_its_staff_and_unlock_after_the_lockout()
    {
        var volunteer = await NewVolunteer("sec-lock");
        using var anonymous = World.App.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await DispatchClient.Problem(await SignIn(anonymous, volunteer, "not the password"), HttpStatusCode.Unauthorized);
        }

        var locked = await SignIn(anonymous, volunteer, World.Password);
        var problem = await DispatchClient.Problem(locked, HttpStatusCode.TooManyRequests);
        Assert.Equal("lockedOut", problem["reason"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromMinutes(15), locked.Headers.RetryAfter?.Delta);

        using var staff = await World.As("staff-t1");
        var account = await staff.GetOk<JsonObject>($"/api/accounts/{volunteer}");
        Assert.NotNull(account["lockedUntil"]);
        var reported = (await staff.GetOk<JsonArray>("/api/places/m1/security-events"))
            .Last(e => e!["username"]!.GetValue<string>() == volunteer)!;
        Assert.Equal("lockedOut", reported["kind"]!.GetValue<string>());

        Clock.Advance(TimeSpan.FromMinutes(15));
        await DispatchClient.Expect(await SignIn(anonymous, volunteer, World.Password), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Staff_lift_a_lockout_before_it_ends()
    {
        var volunteer = await NewVolunteer("sec-unlock");
        using var anonymous = World.App.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await SignIn(anonymous, volunteer, "not the password");
        }

        await DispatchClient.Problem(await SignIn(anonymous, volunteer, World.Password), HttpStatusCode.TooManyRequests);
        using var staff = await World.As("staff-t1");
        var enabled = await staff.PostOk<JsonObject>($"/api/accounts/{volunteer}/enable");
        Assert.Null(enabled["lockedUntil"]);
        await DispatchClient.Expect(await SignIn(anonymous, volunteer, World.Password), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_locked_account_still_signs_in_from_a_device_where_it_signed_in_before()
    {
        var volunteer = await NewVolunteer("sec-device");
        using var device = Device();
        await DispatchClient.Expect(await SignIn(device, volunteer, World.Password), HttpStatusCode.OK);

        // Someone elsewhere guesses until the account locks: the right password is refused there.
        using var guesser = World.App.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await DispatchClient.Problem(await SignIn(guesser, volunteer, "not the password"), HttpStatusCode.Unauthorized);
        }

        Assert.Equal("lockedOut", (await DispatchClient.Problem(await SignIn(guesser, volunteer, World.Password), HttpStatusCode.TooManyRequests))["reason"]!.GetValue<string>());

        // The holder's device is not locked out, however often it signs in.
        for (var i = 0; i < 3; i++)
        {
            await DispatchClient.Expect(await SignIn(device, volunteer, World.Password), HttpStatusCode.OK);
        }

        // Wrong passwords on the device count for the device: too many, and it is trusted no more.
        for (var i = 0; i < 5; i++)
        {
            await DispatchClient.Problem(await SignIn(device, volunteer, "not the password"), HttpStatusCode.Unauthorized);
        }

        await DispatchClient.Problem(await SignIn(device, volunteer, World.Password), HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Unknown_and_known_usernames_get_the_same_answers_and_limits()
    {
        var known = await NewVolunteer("sec-known");
        using var anonymous = World.App.Anonymous();

        async Task<string> Answers(string username)
        {
            var answers = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                var response = await SignIn(anonymous, username, "not the password");
                var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
                answers.Add($"{(int)response.StatusCode} {problem?["reason"]} {response.Headers.RetryAfter?.Delta}");
            }

            return string.Join(", ", answers);
        }

        var forKnown = await Answers(known);
        Assert.Equal(forKnown, await Answers("sec-nobody-by-this-name"));
        Assert.EndsWith("429 lockedOut 00:15:00", forKnown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_unlocking_an_account_reset_every_counter()
    {
        var volunteer = await NewVolunteer("sec-counters");
        using var anonymous = World.App.Anonymous();
        using var staff = await World.As("staff-t1");

        // Four wrong passwords, not yet a lockout: unlocking starts the count again.
        for (var i = 0; i < 4; i++)
        {
            await DispatchClient.Problem(await SignIn(anonymous, volunteer, "not the password"), HttpStatusCode.Unauthorized);
        }

        await staff.PostOk<JsonObject>($"/api/accounts/{volunteer}/enable");
        for (var i = 0; i < 4; i++)
        {
            await DispatchClient.Problem(await SignIn(anonymous, volunteer, "not the password"), HttpStatusCode.Unauthorized);
        }

        await DispatchClient.Expect(await SignIn(anonymous, volunteer, World.Password), HttpStatusCode.OK);

        // The sign-ins of this minute too.
        for (var i = 0; i < 9; i++)
        {
            await SignIn(anonymous, volunteer, World.Password);
        }

        await DispatchClient.Problem(await SignIn(anonymous, volunteer, World.Password), HttpStatusCode.TooManyRequests);
        await staff.PostOk<JsonObject>($"/api/accounts/{volunteer}/enable");
        await DispatchClient.Expect(await SignIn(anonymous, volunteer, World.Password), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Wrong_current_passwords_count_with_the_sign_in_failures_and_end_in_429()
    {
        var volunteer = await NewVolunteer("sec-guess-current");
        using var client = await World.App.LoginAs(volunteer, World.Password);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.Put($"/api/accounts/{volunteer}/password", new { currentPassword = $"guess number {i}", newPassword = "a new passphrase" });
            Assert.NotNull((await DispatchClient.Problem(wrong, HttpStatusCode.BadRequest))["errors"]!["currentPassword"]);
        }

        var refused = await client.Put($"/api/accounts/{volunteer}/password", new { currentPassword = World.Password, newPassword = "a new passphrase" });
        Assert.Equal("lockedOut", (await DispatchClient.Problem(refused, HttpStatusCode.TooManyRequests))["reason"]!.GetValue<string>());
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);

        // The lockout is the account's: a sign-in from elsewhere is refused too.
        using var anonymous = World.App.Anonymous();
        await DispatchClient.Problem(await SignIn(anonymous, volunteer, World.Password), HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task More_sign_ins_to_one_account_than_the_limit_per_minute_get_429_and_recover_after_the_minute()
    {
        var volunteer = await NewVolunteer("sec-rate");
        using var anonymous = World.App.Anonymous();
        for (var i = 0; i < 10; i++)
        {
            await DispatchClient.Expect(await SignIn(anonymous, volunteer, World.Password), HttpStatusCode.OK);
        }

        var refused = await SignIn(anonymous, volunteer, World.Password);
        Assert.Equal("tooManySignIns", (await DispatchClient.Problem(refused, HttpStatusCode.TooManyRequests))["reason"]!.GetValue<string>());
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);

        // Another account is not affected.
        var other = await NewVolunteer("sec-rate-other");
        await DispatchClient.Expect(await SignIn(anonymous, other, World.Password), HttpStatusCode.OK);

        Clock.Advance(TimeSpan.FromMinutes(1));
        await DispatchClient.Expect(await SignIn(anonymous, volunteer, World.Password), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Weak_passwords_are_refused_when_an_account_is_created()
    {
        using var admin = await World.App.Admin();
        foreach (var password in new[] { "12345678", "aaaaaaaa", "sec-weak", "short" })
        {
            var response = await admin.Post("/api/accounts", new { username = "sec-weak", password, displayName = "Weak", role = "volunteer", placeId = "m1" });
            Assert.NotNull((await DispatchClient.Problem(response, HttpStatusCode.BadRequest))["errors"]!["password"]);
        }

        await DispatchClient.Expect(await admin.Get("/api/accounts/sec-weak"), HttpStatusCode.NotFound);
    }

    /// <summary>A browser of its own, over HTTPS so that it keeps the (Secure) device cookie.</summary>
    private DispatchClient Device() =>
        new(World.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") }));

    private static Task<HttpResponseMessage> SignIn(DispatchClient client, string username, string password) =>
        client.Http.PostAsJsonAsync("/api/auth/token", new { username, password });

    private async Task<string> NewVolunteer(string username)
    {
        using var admin = await World.App.Admin();
        await admin.CreateAccount(username, "volunteer", "m1");
        return username;
    }
}
