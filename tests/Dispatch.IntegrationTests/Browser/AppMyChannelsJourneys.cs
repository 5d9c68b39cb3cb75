using System.Net;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// A volunteer's own channels on the phone (issue #21), from the profile page: this server sends
/// e-mail but no SMS, and the page says so instead of offering a phone; a wrong address is refused
/// beside its field with nothing stored; once saved, an offer reaches their address through the
/// real SMTP server on loopback. On a phone: 390×844, touch.
/// </summary>
public sealed class AppMyChannelsJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_volunteer_chooses_their_channels_from_the_profile_and_an_offer_reaches_their_e_mail(string locale)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = $"vol-channels-{locale.ToLowerInvariant()}";
        var address = $"{volunteer}@example.org";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.CreateAccount(volunteer, "volunteer", "m2", World.Password); // m2: the other journeys count the open requests of m1
        }

        using var phone = await Fixture.Dispatch.LoginAs(volunteer, World.Password);
        var page = await NewPage(locale, viewport: AppJourneys.Phone, touch: true);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, volunteer, zh ? Zh : En);
        await Tap(page.GetByRole(AriaRole.Tab, new() { Name = T("我的", "Me") }));
        await Tap(page.GetByRole(AriaRole.Link, new() { Name = T("我的通知渠道 ›", "My notification channels ›") }));
        var section = Region(page, T("我的通知渠道", "My notification channels"));
        await Assertions.Expect(section).ToBeVisibleAsync();

        // SMS is not configured on this server: said, with no phone to fill in.
        await Assertions.Expect(section).ToContainTextAsync(T("本服务器未配置短信", "SMS is not configured here"));
        await Assertions.Expect(section.GetByRole(AriaRole.Textbox, new() { Name = T("接收短信的手机号", "Mobile phone for SMS") })).ToHaveCountAsync(0);

        var email = section.GetByRole(AriaRole.Textbox, new() { Name = T("电子邮箱", "E-mail"), Exact = true });
        var offers = section.GetByRole(AriaRole.Checkbox, new() { Name = T("派给我的需求", "Requests offered to me") });
        var save = Button(section, T("保存我的通知渠道", "Save my channels"));
        await email.FillAsync("not an address");
        await Tap(offers);
        await Assertions.Expect(offers).ToBeCheckedAsync();
        await Tap(save);
        await Assertions.Expect(section.GetByRole(AriaRole.Alert)).ToHaveTextAsync(T("部分内容有误，请按提示修改。", "Some fields need fixing."));
        await Assertions.Expect(section.Locator(".van-field__error-message")).ToHaveTextAsync(
            T("请填写有效的电子邮箱，如 name@example.org。", "Enter an e-mail address, such as name@example.org."));
        Assert.Null((await phone.GetOk<PersonChannelsView>("/api/me/channels")).Email);

        await email.FillAsync(address);
        await Tap(save);
        await Assertions.Expect(section.GetByRole(AriaRole.Status)).ToHaveTextAsync(T("已保存，通知将按您的选择发送。", "Saved: your notices go out as chosen."));
        await Assertions.Expect(section.Locator(".van-field__error-message")).ToHaveCountAsync(0);
        var stored = await phone.GetOk<PersonChannelsView>("/api/me/channels");
        Assert.Equal((address, (string?)null, new ChannelsConfigured(Email: true, Sms: false)), (stored.Email, stored.Phone, stored.Configured));
        Assert.Equal([NoticeKind.Offered], stored.Kinds.ToArray());
        // An offer made at the desk reaches the chosen address, without the beneficiary's contact.
        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var wish = await staff.CreateRequest("m2", title: T("给刘爷爷送药", "Medicine for Grandpa Liu"));
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/dispatch", new { volunteer });
        var mail = await Eventually.Get(
            () => Task.FromResult(Fixture.Mail.Messages.FirstOrDefault(m => m.To.Mailboxes.Any(b => b.Address == address))),
            m => m is not null,
            TimeSpan.FromSeconds(30));
        Assert.Contains(wish.Title, mail!.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(ContactSentinel.Phone, mail.TextBody, StringComparison.Ordinal);

        // The page lists how the person's own mails went.
        await Eventually.Get(() => phone.GetOk<WebHost.Notifications.MyDeliveryView[]>("/api/me/deliveries"), d => d.Any(x => x.Status == DeliveryStatus.Delivered));
        await page.ReloadAsync();
        var sent = Region(page, T("最近外发记录", "Recent e-mails and texts"));
        await Assertions.Expect(sent).ToContainTextAsync(wish.Title);
        await Assertions.Expect(sent).ToContainTextAsync(T("已送达", "Delivered"));
        if (zh)
        {
            await Screenshot(page, "app-my-channels");
        }

        await DispatchClient.Expect(await phone.Put("/api/me/channels", new { kinds = Array.Empty<string>() }), HttpStatusCode.OK);
    }
}
