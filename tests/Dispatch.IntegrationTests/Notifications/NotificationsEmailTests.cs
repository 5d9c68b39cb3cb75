using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Notifications.Channels;
using Dispatch.Notifications.Channels.Email;
using Dispatch.WebHost.Notifications;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dispatch.IntegrationTests.Notifications;

/// <summary>The e-mail sender (MailKit) against a real SMTP server on loopback.</summary>
public sealed class NotificationsEmailTests : IAsyncLifetime
{
    private SmtpSink sink = null!;

    public Task InitializeAsync()
    {
        sink = SmtpSink.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await sink.DisposeAsync();

    [Fact]
    public async Task A_chinese_subject_and_body_arrive_intact()
    {
        var message = new ChannelMessage(
            "digest:c1:2026-12-07", "【晨报】幸福社区：3 件超期，2 件待核验",
            "超期：\n- 楼道灯坏了（王阿姨家门口）\n- 帮您办：老人证续办\n\n请及时处理。", new DateTimeOffset(2026, 12, 7, 0, 30, 0, TimeSpan.Zero));

        var result = await Sender(Smtp()).SendAsync(Target("zhang.wei@example.org"), message, CancellationToken.None);

        Assert.Equal(ChannelOutcome.Delivered, result.Outcome);
        var mail = Assert.Single(sink.Messages);
        Assert.Equal("【晨报】幸福社区：3 件超期，2 件待核验", mail.Subject);
        Assert.Equal("超期：\n- 楼道灯坏了（王阿姨家门口）\n- 帮您办：老人证续办\n\n请及时处理。", mail.TextBody!.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n'));
        Assert.Equal("zhang.wei@example.org", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal("dispatch@example.org", Assert.Single(mail.From.Mailboxes).Address);
    }

    [Fact]
    public async Task The_same_key_gives_the_same_message_id()
    {
        var sender = Sender(Smtp());
        var message = new ChannelMessage("request:abc:3:Escalated:staff:c1", "升级", "正文", DateTimeOffset.UnixEpoch);

        await sender.SendAsync(Target("a@example.org"), message, CancellationToken.None);
        await sender.SendAsync(Target("a@example.org"), message, CancellationToken.None);
        await sender.SendAsync(Target("a@example.org"), message with { Key = "request:abc:4:Escalated:staff:c1" }, CancellationToken.None);

        var ids = sink.Messages.Select(m => m.MessageId).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual(ids[0], ids[2]);
    }

    [Fact]
    public async Task A_refused_recipient_is_gone_and_a_server_that_is_down_is_tried_again()
    {
        var message = new ChannelMessage("k", "t", "x", DateTimeOffset.UnixEpoch);

        var refused = await Sender(Smtp()).SendAsync(Target($"someone@{SmtpSink.RefusedDomain}"), message, CancellationToken.None);
        var down = await Sender(Smtp(port: FreePorts.Next())).SendAsync(Target("a@example.org"), message, CancellationToken.None);

        Assert.Equal(ChannelOutcome.Gone, refused.Outcome);
        Assert.Equal(ChannelOutcome.RetryLater, down.Outcome);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task Without_a_host_e_mail_is_off_and_nothing_is_sent()
    {
        var result = await Sender(new EmailOptions()).SendAsync(Target("a@example.org"), new ChannelMessage("k", "t", "x", DateTimeOffset.UnixEpoch), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Rejected, result.Outcome);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task A_persons_chosen_notices_reach_their_e_mail_through_the_cluster()
    {
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, new Dictionary<string, string?>
        {
            ["Dispatch:Notifications:Email:Host"] = "127.0.0.1",
            ["Dispatch:Notifications:Email:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dispatch:Notifications:Email:Tls"] = "None",
            ["Dispatch:Notifications:Email:From"] = "dispatch@example.org",
        });
        using var admin = await app.Admin();
        await World.Seed(admin, volunteersPerCommunity: 1);
        var volunteer = World.Volunteer("m1", 1);
        using var phone = await app.LoginAs(volunteer, World.Password);
        using var staff = await app.LoginAs("staff-t1", World.Password);
        await DispatchClient.Expect(await phone.Put("/api/me/channels", new { email = "li.na@example.org", kinds = new[] { "offered" } }), System.Net.HttpStatusCode.OK);
        Assert.Equal(new ChannelsConfigured(Email: true, Sms: false), (await phone.GetOk<PersonChannelsView>("/api/me/channels")).Configured);

        var offered = await staff.CreateRequest("m1", title: "为张奶奶送保温杯");
        await staff.PostOk<Dispatch.Requests.RequestView>($"/api/requests/{offered.Id}/dispatch", new { volunteer });
        var mail = (await Eventually.Get(() => Task.FromResult(sink.Messages.ToList()), m => m.Count > 0, TimeSpan.FromSeconds(30))).Single();

        Assert.Equal("【派单】为张奶奶送保温杯", mail.Subject);
        Assert.Equal("li.na@example.org", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Contains("为张奶奶送保温杯", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(ContactSentinel.Phone, mail.TextBody, StringComparison.Ordinal);

        // The person reads how their own mails went: this one delivered.
        var sent = Assert.Single(await Eventually.Get(
            () => phone.GetOk<MyDeliveryView[]>("/api/me/deliveries"), d => d.Length == 1 && d[0].Status == DeliveryStatus.Delivered));
        Assert.Equal(("email", "【派单】为张奶奶送保温杯", 1), (sent.Channel, sent.Title, sent.Attempts));

        // An address the server refuses: the next mail does not arrive, and the person is told so.
        await DispatchClient.Expect(
            await phone.Put("/api/me/channels", new { email = $"li.na@{SmtpSink.RefusedDomain}", kinds = new[] { "offered" } }), System.Net.HttpStatusCode.OK);
        var second = await staff.CreateRequest("m1", title: "陪李爷爷复查");
        await staff.PostOk<Dispatch.Requests.RequestView>($"/api/requests/{second.Id}/dispatch", new { volunteer });
        var log = await Eventually.Get(() => phone.GetOk<MyDeliveryView[]>("/api/me/deliveries"), d => d.Length == 2 && d[0].Status != DeliveryStatus.Pending);
        Assert.Equal((DeliveryStatus.TargetGone, "【派单】陪李爷爷复查"), (log[0].Status, log[0].Title));
        Assert.Contains("refused the recipient", log[0].Detail, StringComparison.Ordinal);
        Assert.Single(sink.Messages);

        // Nobody else's: the staff member's own list is empty.
        Assert.Empty(await staff.GetOk<MyDeliveryView[]>("/api/me/deliveries"));
    }

    private EmailOptions Smtp(int? port = null) => new()
    {
        Host = "127.0.0.1",
        Port = port ?? sink.Port,
        Tls = SecureSocketOptions.None,
        From = "dispatch@example.org",
        FromName = "社区调度",
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static EmailSender Sender(EmailOptions options) => new(Options.Create(options), NullLogger<EmailSender>.Instance);

    private static ChannelTarget Target(string address) => new(ChannelNames.Email, address, []);
}
