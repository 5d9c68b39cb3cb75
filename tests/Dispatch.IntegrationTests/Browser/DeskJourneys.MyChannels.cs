using System.Net;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// A staff member's own channels in the desk (issue #21), from the user menu: this server sends
/// e-mail but no SMS, and the page says so instead of offering a phone; a wrong address is refused
/// beside its field with nothing stored; once saved, an escalation reaching their town arrives at
/// their address through the real SMTP server on loopback.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_choose_their_own_channels_from_the_user_menu_and_an_escalation_reaches_their_e_mail(string locale)
    {
        using var staff = await Staff();
        await ClearMyChannels(staff);
        try
        {
            await ChooseMyChannels(locale, staff);
        }
        finally
        {
            // Nothing left for the other journeys, even when this one fails.
            await ClearMyChannels(staff);
        }
    }

    private static async Task ClearMyChannels(DispatchClient staff) =>
        await DispatchClient.Expect(await staff.Put("/api/me/channels", new { email = (string?)null, phone = (string?)null, kinds = Array.Empty<string>() }), HttpStatusCode.OK);

    private async Task ChooseMyChannels(string locale, DispatchClient staff)
    {
        var address = $"li.na.{locale.ToLowerInvariant()}@naji.example.org";
        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await Button(page.GetByRole(AriaRole.Group, new() { Name = T(locale, "当前用户", "Signed in as") }), DeskWorld.StaffName).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "我的通知渠道", "My notification channels"), Exact = true }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "我的通知渠道", "My notification channels"));

        // SMS is not configured on this server: said, with no phone to fill in.
        await Assertions.Expect(page.GetByRole(AriaRole.Note).Filter(new() { HasText = T(locale, "本服务器未配置短信", "SMS is not configured here") })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "接收短信的手机号", "Mobile phone for SMS") })).ToHaveCountAsync(0);

        var email = page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "电子邮箱", "E-mail"), Exact = true });
        var escalations = page.GetByRole(AriaRole.Checkbox, new() { Name = T(locale, "升级到本级的需求", "Escalations reaching my place") });
        var save = Button(page, T(locale, "保存我的通知渠道", "Save my channels"));
        await email.FillAsync("li.na at naji");
        // Element's checkbox draws its own box beside a zero-sized input: a person clicks its label.
        await page.Locator("label").Filter(new() { Has = escalations }).ClickAsync();
        await Assertions.Expect(escalations).ToBeCheckedAsync();
        await save.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = T(locale, "部分内容有误", "Some fields need fixing") })).ToBeVisibleAsync();
        var field = page.Locator(".el-form-item.is-error");
        await Assertions.Expect(field).ToHaveCountAsync(1);
        await Assertions.Expect(field).ToContainTextAsync(T(locale, "请填写有效的电子邮箱", "Enter an e-mail address"));
        await Assertions.Expect(field.GetByRole(AriaRole.Textbox)).ToHaveValueAsync("li.na at naji");
        Assert.Null((await staff.GetOk<PersonChannelsView>("/api/me/channels")).Email);

        await email.FillAsync(address);
        await save.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = T(locale, "已保存", "Saved") })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".el-form-item.is-error")).ToHaveCountAsync(0);
        var stored = await staff.GetOk<PersonChannelsView>("/api/me/channels");
        Assert.Equal((address, (string?)null, new ChannelsConfigured(Email: true, Sms: false)), (stored.Email, stored.Phone, stored.Configured));
        Assert.Equal([NoticeKind.Escalated], stored.Kinds.ToArray());
        // An urgent errand nobody claims climbs to the town: its notice reaches the chosen address.
        var errand = await Publish(staff, T(locale, "帮独居的孙奶奶修暖气", "Fix Granny Sun's radiator"), "errand", "urgent", "维修");
        Fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.Get(() => staff.GetOk<RequestView>($"/api/requests/{errand.Id}"), r => r.EscalationLevel >= 1);
        var mail = await Eventually.Get(
            () => Task.FromResult(Fixture.Mail.Messages.FirstOrDefault(m => m.To.Mailboxes.Any(b => b.Address == address) && (m.Subject ?? "").Contains(errand.Title, StringComparison.Ordinal))),
            m => m is not null,
            TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("13900001111", mail!.TextBody, StringComparison.Ordinal);

        // The page lists how the person's own mails went.
        await Eventually.Get(() => staff.GetOk<WebHost.Notifications.MyDeliveryView[]>("/api/me/deliveries"), d => d.Any(x => x.Status == DeliveryStatus.Delivered));
        await page.ReloadAsync();
        var sent = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "最近外发记录", "Recent e-mails and texts") }).GetByRole(AriaRole.Listitem).Filter(new() { HasText = errand.Title });
        await Assertions.Expect(sent).ToContainTextAsync(T(locale, "邮件", "E-mail"));
        await Assertions.Expect(sent).ToContainTextAsync(T(locale, "已送达", "Delivered"));
        if (locale == "zh-CN")
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0, new() { Timeout = 15_000 }); // the escalation's toast fades
            await Screenshot(page, "desk-my-channels");
        }

        await staff.PostOk<RequestView>($"/api/requests/{errand.Id}/cancel", new { reason = "Journey done" });
    }
}
