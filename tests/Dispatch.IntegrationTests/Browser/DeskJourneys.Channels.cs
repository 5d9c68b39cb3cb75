using System.Net;
using Dispatch.IntegrationTests.Notifications;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.WebHost.Notifications;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// A place's notification channels in the desk (issue #21): staff add a webhook pointing to a
/// receiver on loopback, see its secret marked set (never shown), watch an escalation's delivery
/// arrive in the log, and replay it with the same webhook-id.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_add_a_webhook_see_the_delivery_in_the_log_and_replay_it(string locale)
    {
        await using var receiver = await WebhookReceiver.Start();
        using var staff = await Staff();
        await ClearChannels(staff);
        try
        {
            await AddWebhookSeeItsDeliveryAndReplayIt(locale, receiver, staff);
        }
        finally
        {
            // Nothing left for the other journeys, even when this one fails.
            await ClearChannels(staff);
        }
    }

    private static async Task ClearChannels(DispatchClient staff) =>
        await DispatchClient.Expect(await staff.Put($"/api/places/{DeskWorld.Town}/channels", new { webhooks = Array.Empty<object>() }), HttpStatusCode.OK);

    private async Task AddWebhookSeeItsDeliveryAndReplayIt(string locale, WebhookReceiver receiver, DispatchClient staff)
    {
        var secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());
        var path = "desk-" + locale.ToLowerInvariant();
        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "通知渠道", "Channels") }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "通知渠道：", "Notification channels: ") + DeskWorld.TownName);

        await Button(page, T(locale, "添加 Webhook", "Add a webhook")).ClickAsync();
        var hook = page.GetByRole(AriaRole.Group, new() { Name = "Webhook 1", Exact = true });
        await hook.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "Webhook 1 的地址", "URL of webhook 1") }).FillAsync(receiver.Url(path));
        var secretBox = page.GetByLabel(T(locale, "Webhook 1 的密钥", "Secret of webhook 1"), new() { Exact = true });

        // A secret that is not a Standard Webhooks secret is refused beside its field; nothing is saved.
        ExpectConsoleError("400"); // The refused save below: Chromium logs the 400.
        await secretBox.FillAsync("not-a-secret");
        await Button(page, T(locale, "保存通知渠道", "Save channels")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = T(locale, "部分内容有误", "Some fields need fixing") })).ToBeVisibleAsync();
        await Assertions.Expect(hook.Locator(".el-form-item.is-error")).ToHaveCountAsync(1);
        Assert.Empty((await staff.GetOk<PlaceChannelsView>($"/api/places/{DeskWorld.Town}/channels")).Webhooks);

        await secretBox.FillAsync(secret);
        await Button(page, T(locale, "保存通知渠道", "Save channels")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = T(locale, "通知渠道已保存。", "Channels saved.") })).ToBeVisibleAsync();
        // The secret is write-only: the field is empty again and says that one is set.
        await Assertions.Expect(secretBox).ToHaveValueAsync("");
        await Assertions.Expect(secretBox).ToHaveAttributeAsync("placeholder", T(locale, "已设置（1 个）", "Set (1)"));
        await Assertions.Expect(hook).ToContainTextAsync(T(locale, "已设置（1 个）", "Set (1)"));
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        var stored = Assert.Single((await staff.GetOk<PlaceChannelsView>($"/api/places/{DeskWorld.Town}/channels")).Webhooks);
        Assert.Equal(1, stored.Secrets);
        Assert.Equal(receiver.Url(path), stored.Url);

        // An urgent errand nobody claims climbs to the town: its alert goes to the webhook.
        var errand = await Publish(staff, T(locale, "帮独居的陈奶奶换灯泡", "给独居的何大爷修门锁"), "errand", "urgent", "维修");
        Fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.Get(() => staff.GetOk<RequestView>($"/api/requests/{errand.Id}"), r => r.EscalationLevel >= 1);
        var delivered = await Eventually.Get(
            () => staff.GetOk<DeliveryLogPage>($"/api/places/{DeskWorld.Town}/deliveries?status=delivered"),
            log => log.Items.Any(d => d.TargetId == stored.Id && d.Title.Contains(errand.Title, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30));
        var delivery = delivered.Items.First(d => d.TargetId == stored.Id && d.Title.Contains(errand.Title, StringComparison.Ordinal));

        await page.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "投递状态", "Delivery status") }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = T(locale, "已送达", "Delivered"), Exact = true }).ClickAsync();
        var log = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "投递记录", "Delivery log") });
        var row = log.GetByRole(AriaRole.Row).Filter(new() { HasText = errand.Title });
        await Assertions.Expect(row).ToContainTextAsync("Webhook");
        await Assertions.Expect(row).ToContainTextAsync(receiver.Url(path));
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "已送达", "Delivered"));
        if (locale == "zh-CN")
        {
            // The toast of the escalation fades after five seconds and the status list closes; the photograph shows the log.
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0, new() { Timeout = 15_000 });
            await Assertions.Expect(page.GetByRole(AriaRole.Listbox)).ToBeHiddenAsync();
            await Screenshot(page, "desk-channels");
        }

        await Button(row, T(locale, $"重新发送：{delivery.Title}", $"Replay: {delivery.Title}")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = T(locale, "正在重新发送", "is being sent again") })).ToBeVisibleAsync();
        // Sent again with the same webhook-id, so a receiver that honours it acts once.
        var calls = await Eventually.Get(
            () => Task.FromResult(receiver.Received.Where(r => r.Path == path && r.Id == delivery.Key).ToList()),
            r => r.Count >= 2,
            TimeSpan.FromSeconds(30));
        Assert.All(calls, c => Assert.True(c.SignedWith(secret)));
        await staff.PostOk<RequestView>($"/api/requests/{errand.Id}/cancel", new { reason = "Journey done" });
    }
}
