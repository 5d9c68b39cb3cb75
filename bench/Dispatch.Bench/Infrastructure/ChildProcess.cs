using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dispatch.Bench.Infrastructure;

/// <summary>
/// A server under measurement, run as its own process on loopback so that it does not share a
/// garbage collector or thread pool with the load it is given. Killed (with its children) on dispose.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>How long a server may take to answer its readiness route.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly Process process;
    private readonly StringBuilder output = new();

    private ChildProcess(string name, Process process, Uri baseAddress)
    {
        Name = name;
        this.process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int Id => process.Id;

    /// <summary>The last lines the process wrote (for error messages).</summary>
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

    /// <summary>
    /// Starts <c>dotnet <paramref name="assembly"/></c> from this program's output folder with
    /// <c>--urls</c> on a free loopback port, and waits until <paramref name="readinessPath"/> answers 200.
    /// </summary>
    public static async Task<ChildProcess> StartAsync(
        string name,
        string assembly,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string readinessPath,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepoPaths.Output(assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_gcServer"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var child = new ChildProcess(name, Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."), new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await child.WaitReadyAsync(readinessPath, cancellationToken);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    /// <summary>CPU time the process has used so far (user + system), from /proc.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>Resident memory now, in bytes.</summary>
    public long ResidentBytes
    {
        get
        {
            process.Refresh();
            return process.WorkingSet64;
        }
    }

    /// <summary>Bytes read and written by the process so far, storage and sockets alike (/proc/PID/io rchar, wchar), and its write calls.</summary>
    public IoCounters Io => IoCounters.Read(process.Id);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        process.Dispose();
    }

    /// <summary>A port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitReadyAsync(string readinessPath, CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                if ((await probe.GetAsync(readinessPath, deadline.Token)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // That probe timed out.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Name} was not ready within {StartTimeout.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            // Keep the tail: a server that logs a lot must not fill the bench's memory.
            if (output.Length > 64 * 1024)
            {
                output.Remove(0, output.Length - 32 * 1024);
            }

            output.AppendLine(line);
        }
    }
}

/// <summary>A process's I/O so far, from /proc/PID/io: bytes through read/write calls (files and sockets), and the count of write calls.</summary>
public readonly record struct IoCounters(long ReadBytes, long WrittenBytes, long WriteCalls, long StorageWrittenBytes)
{
    public static IoCounters Read(int processId)
    {
        var path = $"/proc/{processId}/io";
        if (!File.Exists(path))
        {
            return default;
        }

        var values = File.ReadAllLines(path)
            .Select(line => line.Split(':', 2, StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return new IoCounters(values.GetValueOrDefault("rchar"), values.GetValueOrDefault("wchar"), values.GetValueOrDefault("syscw"), values.GetValueOrDefault("write_bytes"));
    }

    public static IoCounters operator -(IoCounters after, IoCounters before) => new(
        after.ReadBytes - before.ReadBytes,
        after.WrittenBytes - before.WrittenBytes,
        after.WriteCalls - before.WriteCalls,
        after.StorageWrittenBytes - before.StorageWrittenBytes);
}
