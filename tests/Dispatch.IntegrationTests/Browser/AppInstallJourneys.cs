using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The app installs on a phone and opens without a network: a manifest and a service worker; a
/// volunteer who loaded the open requests sees them again after reloading offline, marked with the
/// time the server last answered, and the mark goes when the network is back.
/// </summary>
public sealed class AppInstallJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Fact]
    public async Task The_manifest_and_the_service_worker_are_served_as_what_they_are()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var manifest = await http.GetAsync("ui/app/manifest.webmanifest");
        manifest.EnsureSuccessStatusCode();
        Assert.Equal("application/manifest+json", manifest.Content.Headers.ContentType?.MediaType);
        var json = await manifest.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("社区志愿服务", json.GetProperty("name").GetString());
        Assert.Equal("/app/", json.GetProperty("start_url").GetString());
        Assert.Equal("/app/", json.GetProperty("scope").GetString());
        Assert.Equal("standalone", json.GetProperty("display").GetString());
        var sizes = json.GetProperty("icons").EnumerateArray().Select(icon => icon.GetProperty("sizes").GetString() ?? "").ToArray();
        Assert.Equal(new[] { "192x192", "512x512" }, sizes);
        foreach (var icon in json.GetProperty("icons").EnumerateArray())
        {
            var png = await http.GetAsync(icon.GetProperty("src").GetString()!.TrimStart('/'));
            Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        }

        var worker = await http.GetAsync("app/sw.js");
        worker.EnsureSuccessStatusCode();
        Assert.Equal("text/javascript", worker.Content.Headers.ContentType?.MediaType);
        Assert.Contains("addEventListener(\"fetch\"", await worker.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-cache", worker.Headers.CacheControl?.ToString());
        Assert.Equal("/app", Assert.Single(worker.Headers.GetValues("Service-Worker-Allowed"))); // the scope takes /app as well as /app/

        var page = await http.GetStringAsync("app/");
        Assert.Contains("<link rel=\"manifest\" href=\"/ui/app/manifest.webmanifest\">", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task The_app_opens_offline_with_the_requests_it_last_loaded_marked_as_such(string locale)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var volunteer = $"vol-offline-{locale.ToLowerInvariant()}";
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.CreateAccount(volunteer, "volunteer", "m2"); // m2: the other journeys count the open requests of m1
        }

        using var staff = await Fixture.Dispatch.LoginAs("staff-t1", World.Password);
        var request = await staff.CreateRequest("m2", title: T($"上门理发 {locale}", $"Haircut at home {locale}"));

        var page = await NewPage(locale, viewport: AppJourneys.Phone);
        await page.GotoAsync($"{BaseAddress}app/"); // the manifest's start_url, inside the worker's scope
        await SignIn(page, volunteer, zh ? Zh : En);
        var open = Region(page, T("本社区待认领需求", "Open requests in my community"));
        await Assertions.Expect(Group(open, request.Title)).ToBeVisibleAsync();

        // The worker has taken over and kept the shell and the list it read (an explicit barrier, no sleep).
        await AppKeptOffline(page, "/requests?");

        // Offline, reloaded: the list is back from what the app kept, marked with when it was current.
        ExpectConsoleError("ERR_INTERNET_DISCONNECTED");
        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await Assertions.Expect(Group(open, request.Title)).ToBeVisibleAsync();
        var mark = page.GetByRole(AriaRole.Status);
        await Assertions.Expect(mark).ToContainTextAsync(new System.Text.RegularExpressions.Regex(T("离线 — 截至 \\d{2}:\\d{2}", "Offline — as of \\d{2}:\\d{2}")));
        await Screenshot(page, zh ? "app-offline" : "app-offline-en");

        // The address without the slash (typed, or a printed link) is the worker's too: it opens offline as well.
        await page.GotoAsync($"{BaseAddress}app");
        await Assertions.Expect(Group(open, request.Title)).ToBeVisibleAsync();
        await Assertions.Expect(mark).ToContainTextAsync(T("离线", "Offline"));

        // Back online: the mark goes and the list is live again.
        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(mark).ToHaveCountAsync(0);
        await Assertions.Expect(Group(open, request.Title)).ToBeVisibleAsync();
    }
}
