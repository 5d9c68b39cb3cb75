using System.Net;
using System.Text.Json;
using Dispatch.IntegrationTests.Notifications.Channels;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Notifications;

/// <summary>A person's own SMS, through the cluster to the Aliyun server on loopback.</summary>
public sealed class NotificationsSmsTests : IAsyncLifetime
{
    private LoopbackVendor vendor = null!;

    public async Task InitializeAsync()
    {
        vendor = await LoopbackVendor.StartAsync(TimeProvider.System);
        vendor.Answer = (request, before) => AliyunSmsServer.Answer(TimeProvider.System, request, before);
    }

    public async Task DisposeAsync() => await vendor.DisposeAsync();

    [Fact]
    public async Task An_offer_reaches_the_volunteers_own_phone_by_sms_with_no_contact_and_other_notices_do_not()
    {
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, AliyunSmsServer.Settings(vendor));
        using var admin = await app.Admin();
        await World.Seed(admin, volunteersPerCommunity: 1);
        var volunteer = World.Volunteer("m1", 1);
        using var phone = await app.LoginAs(volunteer, World.Password);
        using var staff = await app.LoginAs("staff-t1", World.Password);
        await DispatchClient.Expect(
            await phone.Put("/api/me/channels", new { phone = "+86 139-0013-9001", kinds = new[] { "offered", "verified" } }), HttpStatusCode.OK);
        Assert.Equal(new ChannelsConfigured(Email: false, Sms: true), (await phone.GetOk<PersonChannelsView>("/api/me/channels")).Configured);

        // The title quotes a number: it never leaves by SMS; nor does the beneficiary's contact.
        var offered = await staff.CreateRequest("m1", title: "送保温杯 13700001111");
        await staff.PostOk<RequestView>($"/api/requests/{offered.Id}/dispatch", new { volunteer });
        var sent = await Eventually.Get(() => Task.FromResult(vendor.Received.ToList()), r => r.Count > 0, TimeSpan.FromSeconds(30));

        // Signed as the provider checks it (its answer to the same form again, the nonce aside).
        var answer = AliyunSmsServer.Answer(TimeProvider.System, sent[0], []);
        var form = AliyunSmsServer.Form(Assert.Single(sent));
        Assert.Equal("13900139001", form["PhoneNumbers"]);
        using var param = JsonDocument.Parse(form["TemplateParam"]);
        var text = param.RootElement.GetProperty("content").GetString()!;
        Assert.Equal("【派单】送保温杯 ***********", text);
        var digits = new string(ContactSentinel.Phone.Where(char.IsAsciiDigit).ToArray());
        Assert.DoesNotContain(digits, form.Values.Select(v => new string(v.Where(char.IsAsciiDigit).ToArray())));
        Assert.StartsWith($"request:{offered.Id:N}:", form["OutId"], StringComparison.Ordinal);
        Assert.Contains("\"OK\"", answer.Json, StringComparison.Ordinal);

        // Verified work is chosen for e-mail and SMS, but an SMS carries only what matters on a phone.
        Assert.Equal(RequestStatus.Claimed, (await phone.PostOk<RequestView>($"/api/requests/{offered.Id}/offer/accept")).Status);
        await phone.PostOk<RequestView>($"/api/requests/{offered.Id}/start");
        await phone.PostOk<RequestView>($"/api/requests/{offered.Id}/complete", new { note = "Delivered" });
        await staff.PostOk<RequestView>($"/api/requests/{offered.Id}/verify", new { approved = true, rating = 5 });
        await Eventually.Get(() => phone.GetOk<InboxPage>("/api/inbox"), p => p.Items.Any(i => i.Kind == NoticeKind.Verified));
        Assert.Single(vendor.Received);
    }
}
