using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// Dispatch as a real operating-system process (the web host, or the dedicated silo, built next to
/// the tests), for what an in-memory host cannot show: a kill -9, several processes in one cluster.
/// </summary>
public sealed class DispatchProcess : IDisposable
{
    /// <summary>How long a process may take to become ready.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The line the generic host writes once every hosted service (the silo included) has started.</summary>
    public const string StartedLine = "Application started";

    private const string SiloPortVariable = "Dispatch__Orleans__SiloPort";
    private const string GatewayPortVariable = "Dispatch__Orleans__GatewayPort";

    private readonly Process process;
    private readonly Uri? baseAddress;

    private readonly System.Text.StringBuilder output;

    private DispatchProcess(Process process, Uri? baseAddress, System.Text.StringBuilder output, int siloPort, int gatewayPort)
    {
        this.process = process;
        this.baseAddress = baseAddress;
        this.output = output;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    /// <summary>The web host's address; a dedicated silo has none.</summary>
    public Uri BaseAddress => baseAddress ?? throw new InvalidOperationException("A dedicated silo answers no HTTP.");

    /// <summary>The silo-to-silo port it was given (also the <c>Port</c> of its row in the membership table).</summary>
    public int SiloPort { get; }

    /// <summary>The Orleans gateway port it was given.</summary>
    public int GatewayPort { get; }

    /// <summary>The operating-system process id.</summary>
    public int Id => process.Id;

    public bool HasExited => process.HasExited;

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

    /// <summary>Starts the web host and waits until <paramref name="readinessPath"/> answers 200.</summary>
    /// <param name="contentRoot">Where the host finds wwwroot and appsettings.json (the pages need it); the test folder when null.</param>
    /// <param name="settings">Extra environment variables (<c>Dispatch__Storage__Provider</c>, …); they win over the ones set here, ports included.</param>
    /// <param name="readinessPath">The route polled until it answers 200.</param>
    public static async Task<DispatchProcess> Start(
        string dataDir,
        string? adminPassword = DispatchApp.AdminPassword,
        string? contentRoot = null,
        IReadOnlyDictionary<string, string>? settings = null,
        string readinessPath = "/health/ready")
    {
        var port = FreePorts.Next();
        List<string> arguments = ["--urls", $"http://127.0.0.1:{port}"];
        if (contentRoot is not null)
        {
            arguments.Add("--contentRoot");
            arguments.Add(contentRoot);
        }

        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        if (adminPassword is not null)
        {
            environment["Dispatch__Bootstrap__AdminPassword"] = adminPassword;
        }

        var host = Launch("Dispatch.WebHost.dll", arguments, dataDir, environment, settings, new Uri($"http://127.0.0.1:{port}"));
        using var probe = new HttpClient { BaseAddress = host.baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await host.WaitUntil(
            async cancellation =>
            {
                try
                {
                    return (await probe.GetAsync(readinessPath, cancellation)).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false; // Not listening yet.
                }
                catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    return false; // That probe timed out.
                }
            },
            "Dispatch");
        return host;
    }

    /// <summary>
    /// Starts a dedicated silo (<c>Dispatch.Silo.dll</c>, no HTTP) and waits until it is ready: by
    /// default until the host reports it started, which it does once the silo has joined the
    /// cluster; or until <paramref name="ready"/> says so (its row Active in the membership table…).
    /// </summary>
    public static async Task<DispatchProcess> StartSilo(
        string dataDir,
        IReadOnlyDictionary<string, string>? settings = null,
        Func<DispatchProcess, CancellationToken, Task<bool>>? ready = null)
    {
        // The start line is logged at Information by Microsoft.Hosting.Lifetime; the rest stays at Warning.
        var environment = new Dictionary<string, string> { ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information" };
        var silo = Launch("Dispatch.Silo.dll", [], dataDir, environment, settings, baseAddress: null, hostFiles: "Dispatch.WebHost");
        ready ??= (process, _) => Task.FromResult(process.Output.Contains(StartedLine, StringComparison.Ordinal));
        await silo.WaitUntil(cancellation => ready(silo, cancellation), "The Dispatch silo");
        return silo;
    }

    private static DispatchProcess Launch(
        string assembly,
        IEnumerable<string> arguments,
        string dataDir,
        Dictionary<string, string> environment,
        IReadOnlyDictionary<string, string>? settings,
        Uri? baseAddress,
        string? hostFiles = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (hostFiles is not null)
        {
            // The silo's own deps.json expects Microsoft.Extensions.ObjectPool.dll next to it, which the
            // test folder lacks (the web host takes it from the ASP.NET Core framework): run it with the
            // web host's runtimeconfig and deps.json, which list the silo and resolve everything here.
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add("--runtimeconfig");
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, $"{hostFiles}.runtimeconfig.json"));
            start.ArgumentList.Add("--depsfile");
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, $"{hostFiles}.deps.json"));
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Dispatch__DataDir"] = dataDir;
        start.Environment[SiloPortVariable] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment[GatewayPortVariable] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment.Concat(settings ?? new Dictionary<string, string>()))
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new DispatchProcess(
            process,
            baseAddress,
            output,
            int.Parse(start.Environment[SiloPortVariable]!, CultureInfo.InvariantCulture),
            int.Parse(start.Environment[GatewayPortVariable]!, CultureInfo.InvariantCulture));
    }

    /// <summary>Polls <paramref name="ready"/> until it holds; kills the process and throws if it exits or the start times out.</summary>
    private async Task WaitUntil(Func<CancellationToken, Task<bool>> ready, string what)
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                if (await ready(deadline.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
            }

            if (deadline.IsCancellationRequested)
            {
                Kill();
                throw new TimeoutException($"{what} did not become ready within {StartTimeout}:\n{Output}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    public DispatchClient Anonymous() => new(new HttpClient { BaseAddress = BaseAddress });

    public async Task<DispatchClient> Admin() => await LoginAs("admin", DispatchApp.AdminPassword);

    public async Task<DispatchClient> LoginAs(string username, string password)
    {
        var client = Anonymous();
        await client.Login(username, password);
        return client;
    }

    /// <summary>A client that sends a token obtained earlier (from this host or another).</summary>
    public DispatchClient WithToken(string token)
    {
        var client = Anonymous();
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// SIGTERM, the way an operator stops it: the host shuts down gracefully (a silo leaves the
    /// cluster). Killed after <paramref name="timeout"/> if it has not exited by then.
    /// </summary>
    /// <returns>Whether it exited by itself.</returns>
    public async Task<bool> Stop(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return true;
        }

        using (var signal = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) } })!)
        {
            await signal.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return false;
        }
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
