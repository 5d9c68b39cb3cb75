using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Silo.Backup;

namespace Dispatch.IntegrationTests.Security;

/// <summary>
/// The silo program's way out when every admin is locked out: <c>reset-password USERNAME</c>
/// prints a one-time password that lifts the lockout and must be changed before anything else;
/// and <c>--help</c> lists the commands instead of starting a silo.
/// </summary>
public sealed class ResetPasswordTests
{
    [Fact]
    public async Task The_silo_program_answers_help_with_its_commands_and_exits()
    {
        var (code, output, _) = await SiloProgram(TimeSpan.FromSeconds(60), "--help");
        Assert.Equal(0, code);
        foreach (var command in new[] { "migrate", "backup", "verify-backup", "restore", "reset-password" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }

        var (unknown, _, error) = await SiloProgram(TimeSpan.FromSeconds(60), "bakcup", "--to", "somewhere");
        Assert.Equal(2, unknown);
        Assert.Contains("bakcup", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_password_lets_a_locked_out_admin_in_with_a_one_time_password_to_change_first()
    {
        using var directory = new TempDirectory();
        var gateway = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        await using var app = new DispatchApp(directory.Path, new Dictionary<string, string?>
        {
            ["Dispatch:Orleans:GatewayPort"] = gateway,
            ["Dispatch:Auth:SignInsPerMinute"] = "10",
        });
        using var anonymous = app.Anonymous();
        for (var i = 0; i < 6; i++)
        {
            await anonymous.Http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "a wrong guess" });
        }

        await DispatchClient.Problem(await SignIn(anonymous, "admin", DispatchApp.AdminPassword), HttpStatusCode.TooManyRequests);

        // Through the running host's gateway, as an operator on the same machine would.
        var (code, output, error) = await Command("reset-password", "admin", $"--Dispatch:DataDir={directory.Path}", $"--Dispatch:Orleans:GatewayPort={gateway}");
        Assert.True(code == 0, error);
        var password = OneTimePassword(output);

        await DispatchClient.Problem(await SignIn(anonymous, "admin", DispatchApp.AdminPassword), HttpStatusCode.Unauthorized);
        var signedIn = await SignIn(anonymous, "admin", password);
        await DispatchClient.Expect(signedIn, HttpStatusCode.OK);
        var token = (await signedIn.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
        using var admin = app.Anonymous();
        admin.Http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        // Nothing but changing the password until it is changed.
        var me = await admin.GetOk<JsonObject>("/api/accounts/me");
        Assert.True(me["mustChangePassword"]!.GetValue<bool>());
        Assert.Equal("passwordChangeRequired", (await DispatchClient.Problem(await admin.Get("/api/accounts/admin"), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        Assert.Equal("passwordChangeRequired", (await DispatchClient.Problem(
            await admin.Post("/api/accounts", new { username = "sneaky", password = "password-sneaky", displayName = "S", role = "admin", placeId = "r1" }),
            HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        await DispatchClient.Expect(
            await admin.Put("/api/accounts/admin/password", new { currentPassword = password, newPassword = "the admin's own passphrase" }),
            HttpStatusCode.OK);

        using var again = await app.LoginAs("admin", "the admin's own passphrase");
        Assert.False((await again.GetOk<JsonObject>("/api/accounts/me"))["mustChangePassword"]!.GetValue<bool>());
        await DispatchClient.Expect(await again.Get("/api/accounts/admin"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reset_password_on_a_stopped_store_runs_a_silo_of_its_own_and_refuses_unknown_accounts()
    {
        using var directory = new TempDirectory();
        await using (var app = new DispatchApp(directory.Path))
        {
            using var admin = await app.Admin();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        string[] ports = [$"--Dispatch:Orleans:SiloPort={FreePorts.Next()}", $"--Dispatch:Orleans:GatewayPort={FreePorts.Next()}"];
        var (missing, _, missingError) = await SiloProgram(TimeSpan.FromMinutes(2), ["reset-password", "nobody-here", $"--Dispatch:DataDir={directory.Path}", .. ports]);
        Assert.Equal(1, missing);
        Assert.Contains("nobody-here", missingError, StringComparison.Ordinal);

        var (code, output, error) = await SiloProgram(TimeSpan.FromMinutes(2), ["reset-password", "admin", $"--Dispatch:DataDir={directory.Path}", .. ports]);
        Assert.True(code == 0, error);
        var password = OneTimePassword(output);

        await using var restarted = new DispatchApp(directory.Path);
        using var anonymous = restarted.Anonymous();
        await DispatchClient.Expect(await SignIn(anonymous, "admin", password), HttpStatusCode.OK);
    }

    /// <summary>The password on the line after the command's "One-time password for …" (a process prints its warnings there too).</summary>
    private static string OneTimePassword(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        var password = lines[Array.FindIndex(lines, l => l.StartsWith("One-time password for", StringComparison.Ordinal)) + 1];
        Assert.Matches("^[a-z2-9]{5}(-[a-z2-9]{5}){3}$", password);
        return password;
    }

    private static Task<HttpResponseMessage> SignIn(DispatchClient client, string username, string password) =>
        client.Http.PostAsJsonAsync("/api/auth/token", new { username, password });

    /// <summary>The silo program's command line, in this process.</summary>
    private static async Task<(int Code, string Output, string Error)> Command(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BackupCommands.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Dispatch.Silo.dll as its own process (with the web host's runtimeconfig, as BackupTests runs it); killed after <paramref name="timeout"/>.</summary>
    private static async Task<(int Code, string Output, string Error)> SiloProgram(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "exec",
                "--runtimeconfig", Path.Combine(AppContext.BaseDirectory, "Dispatch.WebHost.runtimeconfig.json"),
                "--depsfile", Path.Combine(AppContext.BaseDirectory, "Dispatch.WebHost.deps.json"),
                Path.Combine(AppContext.BaseDirectory, "Dispatch.Silo.dll"),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The silo program did not exit within {timeout} (it ran a silo?).");
        }

        return (process.ExitCode, await output, await error);
    }
}
