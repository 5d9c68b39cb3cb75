using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// Dispatch as a real operating-system process (the web host built next to the tests), for what
/// an in-memory host cannot show: a kill -9.
/// </summary>
public sealed class DispatchProcess : IDisposable
{
    private readonly Process process;
    private readonly Uri baseAddress;

    private readonly System.Text.StringBuilder output;

    private DispatchProcess(Process process, Uri baseAddress, System.Text.StringBuilder output)
    {
        this.process = process;
        this.baseAddress = baseAddress;
        this.output = output;
    }

    public Uri BaseAddress => baseAddress;

    /// <summary>What the process wrote to its console so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <param name="contentRoot">Where the host finds wwwroot and appsettings.json (the pages need it); the test folder when null.</param>
    public static async Task<DispatchProcess> Start(string dataDir, string? adminPassword = DispatchApp.AdminPassword, string? contentRoot = null)
    {
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Dispatch.WebHost.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        if (contentRoot is not null)
        {
            start.ArgumentList.Add("--contentRoot");
            start.ArgumentList.Add(contentRoot);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Dispatch__DataDir"] = dataDir;
        if (adminPassword is not null)
        {
            start.Environment["Dispatch__Bootstrap__AdminPassword"] = adminPassword;
        }

        start.Environment["Dispatch__Orleans__SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["Dispatch__Orleans__GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var host = new DispatchProcess(process, new Uri($"http://127.0.0.1:{port}"), output);
        using var probe = new HttpClient { BaseAddress = host.baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Dispatch exited with {process.ExitCode}:\n{output}");
            }

            try
            {
                if ((await probe.GetAsync("/health/ready", deadline.Token)).StatusCode == HttpStatusCode.OK)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
            }

            if (deadline.IsCancellationRequested)
            {
                host.Kill();
                throw new TimeoutException($"Dispatch did not become ready:\n{output}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    public DispatchClient Anonymous() => new(new HttpClient { BaseAddress = baseAddress });

    public async Task<DispatchClient> Admin() => await LoginAs("admin", DispatchApp.AdminPassword);

    public async Task<DispatchClient> LoginAs(string username, string password)
    {
        var client = Anonymous();
        await client.Login(username, password);
        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }
}
