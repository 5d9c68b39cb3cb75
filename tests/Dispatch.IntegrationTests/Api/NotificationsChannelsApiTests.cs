using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.WebHost.Notifications;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Channel settings through the API: a place's (staff in scope; secrets write-only, kept by id
/// across saves) and a person's own; bad input is a problem naming the field, with nothing changed.
/// </summary>
public sealed class NotificationsChannelsApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private const string Secret1 = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Secret2 = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private World World => fixture.World;

    [Fact]
    public async Task Staff_set_a_places_channels_and_read_back_no_secret()
    {
        using var staff = await World.As("staff-t1");
        var saved = await Put(staff, "m1", new
        {
            robots = new object[] { new { kind = "dingtalk", url = "https://oapi.dingtalk.com/robot/send?access_token=abc123", secret = "SECdeadbeef" } },
            webhooks = new object[] { new { url = "https://hooks.example.org/dispatch?token=t0ps3cret", secrets = new[] { Secret1 }, events = new[] { "escalated" } } },
            emails = new[] { "office@m1.example.org" },
        });

        var read = await staff.GetOk<PlaceChannelsView>("/api/places/m1/channels");
        var raw = await (await staff.Get("/api/places/m1/channels")).Content.ReadAsStringAsync();

        Assert.Equal(Json(saved), Json(read));
        var robot = Assert.Single(read.Robots);
        Assert.Equal((RobotKind.Dingtalk, true, "https://oapi.dingtalk.com/robot/send?access_token=…"), (robot.Kind, robot.SecretSet, robot.Url));
        Assert.Equal(new[] { AlertKind.Escalated, AlertKind.ApplicationWaiting, AlertKind.Digest }, robot.Events.ToArray());
        var webhook = Assert.Single(read.Webhooks);
        Assert.Equal((1, "https://hooks.example.org/dispatch?token=…"), (webhook.Secrets, webhook.Url));
        Assert.Equal(new[] { AlertKind.Escalated }, webhook.Events.ToArray());
        Assert.Equal(new[] { "office@m1.example.org" }, read.Emails.ToArray());
        foreach (var secret in new[] { "SECdeadbeef", Secret1, "abc123", "t0ps3cret" })
        {
            Assert.DoesNotContain(secret, raw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_rotation_adds_a_secret_by_id_and_keeps_the_url_it_was_not_sent()
    {
        using var staff = await World.As("staff-t1");
        var first = await Put(staff, "m2", new
        {
            webhooks = new object[] { new { url = "https://hooks.example.org/m2", secrets = new[] { Secret1 } } },
        });
        var id = Assert.Single(first.Webhooks).Id;

        var rotated = await Put(staff, "m2", new { webhooks = new object[] { new { id, secrets = new[] { Secret2, Secret1 } } } });
        var kept = await Put(staff, "m2", new { webhooks = new object[] { new { id, events = new[] { "digest" } } } });

        var webhook = Assert.Single(rotated.Webhooks);
        Assert.Equal((id, 2, "https://hooks.example.org/m2"), (webhook.Id, webhook.Secrets, webhook.Url));
        Assert.Equal((id, 2), (kept.Webhooks[0].Id, kept.Webhooks[0].Secrets));
        Assert.Equal(new[] { AlertKind.Digest }, kept.Webhooks[0].Events.ToArray());
        var removed = await Put(staff, "m2", new { });
        Assert.Empty(removed.Webhooks);
    }

    [Fact]
    public async Task Bad_settings_name_each_field_and_change_nothing()
    {
        using var staff = await World.As("staff-t1");
        var before = await staff.GetOk<PlaceChannelsView>("/api/places/m1/channels");

        var problem = await DispatchClient.Problem(await staff.Put("/api/places/m1/channels", new
        {
            robots = new object[] { new { kind = "wecom", url = "http://qyapi.example.org/send?key=1", secret = "x" } },
            webhooks = new object[] { new { url = "https://hooks.example.org/x", secrets = new[] { "not-a-secret" } }, new { id = "nope" } },
            emails = new[] { "not an address" },
        }), HttpStatusCode.BadRequest);

        var errors = problem["errors"]!.AsObject();
        Assert.Equal("invalid", problem["reason"]!.GetValue<string>());
        Assert.True(errors.ContainsKey("robots[0].url"), errors.ToJsonString());
        Assert.True(errors.ContainsKey("robots[0].secret"), errors.ToJsonString());
        Assert.True(errors.ContainsKey("webhooks[0].secrets[0]"), errors.ToJsonString());
        Assert.True(errors.ContainsKey("webhooks[1].id"), errors.ToJsonString());
        Assert.True(errors.ContainsKey("emails[0]"), errors.ToJsonString());
        Assert.Equal(Json(before), Json(await staff.GetOk<PlaceChannelsView>("/api/places/m1/channels")));
    }

    [Fact]
    public async Task Only_staff_in_scope_read_or_change_a_places_channels()
    {
        using var outside = await World.As("staff-m3");
        using var volunteer = await World.As(World.Volunteer("m1", 1));

        var read = await DispatchClient.Problem(await outside.Get("/api/places/m1/channels"), HttpStatusCode.Forbidden);
        var write = await DispatchClient.Problem(await outside.Put("/api/places/m1/channels", new { emails = new[] { "a@example.org" } }), HttpStatusCode.Forbidden);
        var missing = await DispatchClient.Problem(await World.Admin.Get("/api/places/nowhere/channels"), HttpStatusCode.NotFound);

        Assert.Equal(("outOfScope", "outOfScope", "notFound"), (read["reason"]!.GetValue<string>(), write["reason"]!.GetValue<string>(), missing["reason"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Forbidden, (await volunteer.Get("/api/places/m1/channels")).StatusCode);
    }

    [Fact]
    public async Task A_person_sets_their_own_channels_and_nobody_else_sees_them()
    {
        var username = World.Volunteer("m1", 2);
        using var phone = await World.As(username);
        using var neighbour = await World.As(World.Volunteer("m1", 1));
        var neighbourBefore = await neighbour.GetOk<PersonChannelsView>("/api/me/channels");

        await DispatchClient.Expect(await phone.Put("/api/me/channels", new { email = "li.na@example.org", phone = "138 0013 8000", kinds = new[] { "offered", "verified" } }), HttpStatusCode.OK);
        var mine = await phone.GetOk<PersonChannelsView>("/api/me/channels");

        Assert.Equal(("li.na@example.org", "13800138000"), (mine.Email, mine.Phone));
        Assert.Equal(new[] { NoticeKind.Offered, NoticeKind.Verified }, mine.Kinds.ToArray());
        Assert.Equal(Json(neighbourBefore), Json(await neighbour.GetOk<PersonChannelsView>("/api/me/channels")));

        var problem = await DispatchClient.Problem(await phone.Put("/api/me/channels", new { email = "li.na at example", phone = "12" }), HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("email") && errors.ContainsKey("phone"), errors.ToJsonString());
        Assert.Equal(Json(mine), Json(await phone.GetOk<PersonChannelsView>("/api/me/channels")));
    }

    [Fact]
    public async Task My_channels_say_that_this_server_sends_no_e_mail_or_sms_when_none_is_configured()
    {
        using var phone = await World.As(World.Volunteer("m2", 2));

        var read = await (await phone.Get("/api/me/channels")).Content.ReadAsStringAsync();
        var saved = await phone.Put("/api/me/channels", new { email = "wang.fang@example.org", kinds = new[] { "offered" }, configured = new { email = true, sms = true } });
        await DispatchClient.Expect(saved, HttpStatusCode.OK);
        var answer = (await saved.Content.ReadFromJsonAsync<PersonChannelsView>(DispatchClient.Json))!;

        // The field is added beside the others, whose names stay; the server's own settings decide it, never the body.
        using var json = JsonDocument.Parse(read);
        Assert.Equal(["email", "phone", "kinds", "configured"], json.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("""{"email":false,"sms":false}""", json.RootElement.GetProperty("configured").GetRawText());
        Assert.Equal(new ChannelsConfigured(Email: false, Sms: false), answer.Configured);
        Assert.Equal("wang.fang@example.org", answer.Email);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, DispatchClient.Json);

    private static async Task<PlaceChannelsView> Put(DispatchClient client, string placeId, object body)
    {
        var response = await client.Put($"/api/places/{placeId}/channels", body);
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<PlaceChannelsView>(DispatchClient.Json))!;
    }
}
