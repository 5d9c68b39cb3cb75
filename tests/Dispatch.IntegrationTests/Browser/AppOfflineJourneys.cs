using System.Net;
using Dispatch.Activities;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Work done where the phone has no network: a completion (note and check-in code) or an activity
/// check-in waits in the app, marked "waiting to send", survives a reload, and is sent once when the
/// network is back; a completion the server refuses by then (the claim was released meanwhile) is
/// told to the volunteer in words and leaves the queue. On a phone: 390×844, touch, taps.
/// </summary>
public sealed class AppOfflineJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_completion_made_offline_waits_survives_a_reload_and_is_sent_once_when_the_network_is_back(string locale)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = $"vol-outbox-{locale.ToLowerInvariant()}";
        var (staff, wish) = await Started(volunteer, T($"给王奶奶送米 {locale}", $"Rice for Granny Wang {locale}"));
        using var _ = staff;
        var code = (await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).CheckInCode!;

        var page = await OnTheRequestPage(locale, volunteer, wish);
        ExpectConsoleError("ERR_INTERNET_DISCONNECTED");
        await page.Context.SetOfflineAsync(true);
        await page.GetByRole(AriaRole.Textbox, new() { Name = T("核验码", "Check-in code") }).FillAsync(code);
        await page.GetByRole(AriaRole.Textbox, new() { Name = T("服务记录", "Note") }).FillAsync(T("米已送到", "Rice delivered"));
        await Tap(Button(page, T("完成服务", "Complete")));

        // Kept on the phone, marked as waiting; nothing reached the server.
        var waiting = page.GetByRole(AriaRole.Note).Filter(new() { HasText = T("等待提交", "Waiting to send") });
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = T("已保存在本机", "saved on this phone") })).ToBeVisibleAsync();
        await Assertions.Expect(waiting).ToBeVisibleAsync();
        await Assertions.Expect(Button(page, T("完成服务", "Complete"))).ToHaveCountAsync(0);
        Assert.Equal(RequestStatus.InProgress, (await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Status);

        // Reopened without a network: still waiting, on the request and in my claims (at /app, no slash).
        await page.ReloadAsync();
        await Assertions.Expect(waiting).ToBeVisibleAsync();
        await Screenshot(page, zh ? "app-offline-waiting" : "app-offline-waiting-en");
        await page.GotoAsync($"{BaseAddress}app");
        await Assertions.Expect(Group(Region(page, T("我的认领", "My claims")), wish.Title)).ToContainTextAsync(T("等待提交", "Waiting to send"));
        await Tap(Group(Region(page, T("我的认领", "My claims")), wish.Title));
        await Assertions.Expect(waiting).ToBeVisibleAsync();

        // The network is back: sent by itself, once, and verified by the code.
        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(T($"「{wish.Title}」的完成记录已提交。", $"Your completion of “{wish.Title}” was sent."));
        await Assertions.Expect(waiting).ToHaveCountAsync(0);
        await Assertions.Expect(Region(page, T("详情", "Details"))).ToContainTextAsync(T("已核实", "Verified"));

        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Verified, stored.Status);
        Assert.Equal(T("米已送到", "Rice delivered"), stored.CompletionNote);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        Assert.Single(history, h => h.Action == RequestAction.Completed);

        // Nothing left to send: a reload (and the start it makes) sends nothing again.
        await page.ReloadAsync();
        await Assertions.Expect(Region(page, T("详情", "Details"))).ToContainTextAsync(T("已核实", "Verified"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Object.keys(localStorage).filter(k => k.startsWith('dispatch.app.outbox.')).length"));
        Assert.Single(await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history"), h => h.Action == RequestAction.Completed);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_completion_refused_when_it_is_finally_sent_is_told_in_words_and_leaves_the_queue(string locale)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = $"vol-refused-{locale.ToLowerInvariant()}";
        var (staff, wish) = await Started(volunteer, T($"陪李爷爷散步 {locale}", $"A walk with Grandpa Li {locale}"));
        using var _ = staff;

        var page = await OnTheRequestPage(locale, volunteer, wish);
        ExpectConsoleError("ERR_INTERNET_DISCONNECTED");
        ExpectConsoleError("the server responded with a status of 4"); // the refused completion, on purpose
        await page.Context.SetOfflineAsync(true);
        await Tap(Button(page, T("完成服务", "Complete")));
        var waiting = page.GetByRole(AriaRole.Note).Filter(new() { HasText = T("等待提交", "Waiting to send") });
        await Assertions.Expect(waiting).ToBeVisibleAsync();

        // Meanwhile staff release the claim (the volunteer did not answer the phone).
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/release", new { volunteer, reason = T("联系不上", "Could not be reached") });

        await page.Context.SetOfflineAsync(false);
        var refused = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = wish.Title });
        await Assertions.Expect(refused).ToContainTextAsync(T("未能提交，未被记录", "could not be sent and was not recorded"));
        await Assertions.Expect(waiting).ToHaveCountAsync(0);
        Assert.DoesNotContain("volunteerApp.", await refused.InnerTextAsync(), StringComparison.Ordinal);
        if (zh)
        {
            await Screenshot(page, "app-offline-refused");
        }

        // Read, the notice goes; the queue is empty and the server recorded no completion.
        await Tap(refused.GetByRole(AriaRole.Button, new() { Name = T("关闭", "Dismiss") }));
        await Assertions.Expect(refused).ToHaveCountAsync(0);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Object.keys(localStorage).filter(k => k.startsWith('dispatch.app.outbox.')).length"));
        var stored = await staff.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Open, stored.Status);
        Assert.DoesNotContain(await staff.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history"), h => h.Action == RequestAction.Completed);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task An_activity_check_in_made_offline_is_sent_once_when_the_network_is_back(string locale)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = $"vol-attend-{locale.ToLowerInvariant()}";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.CreateAccount(volunteer, "volunteer", "m2", World.Password); // m2: the other journeys count the open requests of m1
        }

        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        using var api = await Fixture.Dispatch.LoginAs(volunteer, World.Password);
        var now = Fixture.Clock.GetUtcNow();
        var cleanUp = await staff.PostOk<ActivityView>("/api/activities", new
        {
            communityId = "m2",
            title = T($"河道清洁 {locale}", $"Riverside clean-up {locale}"),
            description = T("沿河捡拾垃圾。", "Picking up litter along the river."),
            categories = new[] { "环境" },
            places = 5,
            points = 5,
            startsAt = now.AddMinutes(-5),
            endsAt = now.AddHours(2),
            venue = T("滨河公园东门", "East gate of the riverside park"),
            organiser = "staff-t1",
        }, HttpStatusCode.Created);
        await api.PostOk<ActivityView>($"/api/activities/{cleanUp.Id}/signup");
        var code = (await staff.GetOk<CheckInCodeView>($"/api/activities/{cleanUp.Id}/check-in-code")).Code;

        var page = await NewPage(locale, viewport: AppJourneys.Phone, touch: true);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, volunteer, zh ? Zh : En);
        await page.GotoAsync($"{BaseAddress}app/requests/{cleanUp.Id}");
        var activity = Region(page, T("活动", "Activity"));
        await Assertions.Expect(activity).ToContainTextAsync(T("已报名", "Signed up"));
        await AppKeptOffline(page, $"/api/activities/{cleanUp.Id}");

        ExpectConsoleError("ERR_INTERNET_DISCONNECTED");
        await page.Context.SetOfflineAsync(true);
        await activity.GetByRole(AriaRole.Textbox, new() { Name = T("活动签到码", "Activity check-in code") }).FillAsync(code);
        await Tap(Button(activity, T("签到", "Check in")));
        var waiting = activity.GetByRole(AriaRole.Note).Filter(new() { HasText = T("等待提交", "Waiting to send") });
        await Assertions.Expect(waiting).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(waiting).ToBeVisibleAsync();

        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(T($"「{cleanUp.Title}」的活动签到已提交。", $"Your check-in at “{cleanUp.Title}” was sent."));
        await Assertions.Expect(activity).ToContainTextAsync(T("已签到", "Checked in"));
        await Assertions.Expect(waiting).ToHaveCountAsync(0);

        var stored = await staff.GetOk<ActivityView>($"/api/activities/{cleanUp.Id}");
        Assert.Equal(1, stored.PersonTimes);
        Assert.Equal(AttendanceStatus.CheckedIn, (await api.GetOk<ActivityView>($"/api/activities/{cleanUp.Id}")).Mine?.Status);
    }

    /// <summary>A volunteer of m2 (the other journeys count the open requests of m1) holding a started wish.</summary>
    private async Task<(DispatchClient Staff, RequestView Wish)> Started(string volunteer, string title)
    {
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.CreateAccount(volunteer, "volunteer", "m2", World.Password);
        }

        var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        using var api = await Fixture.Dispatch.LoginAs(volunteer, World.Password);
        var wish = await staff.CreateRequest("m2", title: title);
        await api.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await api.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        return (staff, wish);
    }

    /// <summary>Signed in on a phone at /app (no slash), on the request's page, once the app's worker keeps it for offline.</summary>
    private async Task<IPage> OnTheRequestPage(string locale, string volunteer, RequestView wish)
    {
        var zh = locale == "zh-CN";
        var page = await NewPage(locale, viewport: AppJourneys.Phone, touch: true);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, volunteer, zh ? Zh : En);
        var claims = Region(page, zh ? "我的认领" : "My claims");
        await Assertions.Expect(Group(claims, wish.Title)).ToBeVisibleAsync();
        await AppKeptOffline(page, "/requests?", $"/api/volunteers/{volunteer}");
        await Tap(Group(claims, wish.Title));
        await Assertions.Expect(Button(page, zh ? "完成服务" : "Complete")).ToBeVisibleAsync();
        await AppKeptOffline(page, $"/api/requests/{wish.Id}");
        return page;
    }
}
