using System.Net;
using System.Net.Http.Headers;
using Dispatch.IntegrationTests.Support;

namespace Dispatch.IntegrationTests.Api;

/// <summary>Rotating the token signing key, as docs/SECURITY.md tells operators to.</summary>
public sealed class SigningKeyRotationTests
{
    private const string OldKey = "the-old-signing-key-of-at-least-32-bytes";
    private const string NewKey = "the-new-signing-key-of-at-least-32-bytes";

    [Fact]
    public async Task Tokens_of_the_previous_key_are_accepted_during_a_rotation_and_refresh_tokens_outlive_any_key()
    {
        using var directory = new TempDirectory();
        string accessToken;
        string refreshToken;
        await using (var before = new DispatchApp(directory.Path, new Dictionary<string, string?> { ["Dispatch:Auth:SigningKey"] = OldKey }))
        {
            using var admin = await before.Admin();
            accessToken = admin.Http.DefaultRequestHeaders.Authorization!.Parameter!;
            refreshToken = admin.RefreshToken!;
        }

        await using (var rotating = new DispatchApp(directory.Path, new Dictionary<string, string?>
        {
            ["Dispatch:Auth:SigningKey"] = NewKey,
            ["Dispatch:Auth:PreviousSigningKey"] = OldKey,
        }))
        {
            using var client = With(rotating, accessToken);
            await DispatchClient.Expect(await client.Get("/api/accounts/me"), HttpStatusCode.OK);
        }

        await using var after = new DispatchApp(directory.Path, new Dictionary<string, string?> { ["Dispatch:Auth:SigningKey"] = NewKey });
        using var stale = With(after, accessToken);
        await DispatchClient.Expect(await stale.Get("/api/accounts/me"), HttpStatusCode.Unauthorized);

        // Refresh tokens live in the account, not in the key: the holder gets a token of the new key.
        var refreshed = await stale.Post("/api/auth/refresh", new { refreshToken });
        await DispatchClient.Expect(refreshed, HttpStatusCode.OK);
    }

    private static DispatchClient With(DispatchApp app, string token)
    {
        var client = app.Anonymous();
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
