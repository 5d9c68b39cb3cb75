using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dispatch.IntegrationTests.Support;

namespace Dispatch.IntegrationTests.Api;

/// <summary>What an operator sees of the host: health, the OpenAPI document, the first admin password.</summary>
public sealed partial class HostTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    [Fact]
    public async Task Health_endpoints_answer_without_a_token()
    {
        using var anonymous = fixture.App.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Get("/health/live")).StatusCode);
        var ready = await anonymous.Get("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_routes_with_string_enums()
    {
        using var anonymous = fixture.App.Anonymous();
        var document = await anonymous.GetOk<JsonObject>("/openapi/v1.json");
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var route in new[] { "/api/auth/token", "/api/places", "/api/accounts", "/api/requests", "/api/requests/{id}/claim", "/api/communities/{id}/requests" })
        {
            Assert.Contains(route, paths);
        }

        Assert.Contains("inProgress", document.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_mode_web_host_without_a_configured_signing_key_does_not_start_and_names_it()
    {
        // Several client-mode hosts each generating a key would each refuse the others' tokens.
        using var directory = new TempDirectory();
        using var app = new DispatchApp(directory.Path, new Dictionary<string, string?>
        {
            ["Dispatch:Orleans:Mode"] = "Client",
            ["Dispatch:Orleans:GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Dispatch:Auth:SigningKey", failure.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(directory.Path, "signing-key")));
    }

    [Fact]
    public async Task Without_a_configured_password_the_first_start_prints_a_generated_one_once()
    {
        using var directory = new TempDirectory();
        string password;
        using (var first = await DispatchProcess.Start(directory.Path, adminPassword: null))
        {
            password = GeneratedPassword().Match(first.Output).Groups[1].Value;
            Assert.NotEmpty(password);
            using var admin = await first.LoginAs("admin", password);
            Assert.Equal("admin", (await admin.GetOk<JsonObject>("/api/accounts/me"))["role"]!.GetValue<string>());
        }

        using var second = await DispatchProcess.Start(directory.Path, adminPassword: null);
        Assert.DoesNotMatch(GeneratedPassword(), second.Output);
        using var again = await second.LoginAs("admin", password);
    }

    [GeneratedRegex(@"password \(shown only this once\): (\S+)")]
    private static partial Regex GeneratedPassword();
}
