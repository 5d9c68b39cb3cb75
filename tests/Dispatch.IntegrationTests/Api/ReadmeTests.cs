using System.Diagnostics;
using Dispatch.IntegrationTests.Support;

namespace Dispatch.IntegrationTests.Api;

/// <summary>The README's walk-through, run as written (with curl and jq) against a real Dispatch process.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public async Task The_walk_through_runs_as_written()
    {
        var script = WalkThrough(await File.ReadAllTextAsync(Path.Combine(Repository.Root(), "README.md")));
        using var directory = new TempDirectory();
        using var dispatch = await DispatchProcess.Start(directory.Path, adminPassword: "admin-secret-1");
        script = script.Replace("B=http://localhost:5080", $"B={dispatch.BaseAddress.ToString().TrimEnd('/')}", StringComparison.Ordinal);

        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();

        Assert.True(bash.ExitCode == 0, $"exit {bash.ExitCode}\n{output}\n{errors}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("{\"id\":\"xinhua\",\"path\":[\"hulunbuir\",\"arong\",\"nierji\",\"xinhua\"]}", lines);
        Assert.Contains("\"claimed\"", lines);
        Assert.Contains("\"inProgress\"", lines);
        Assert.Contains("\"completed\"", lines);
        Assert.Contains("\"verified\"", lines);
        Assert.Contains("  \"verified\": 1,", lines);
        Assert.Contains("1", lines);

        // The unclaimed urgent errand climbed past the town within five seconds, then was taken up.
        Assert.Contains(lines, l => l.StartsWith("{\"escalationLevel\":", StringComparison.Ordinal) && !l.Contains("\"escalationLevel\":0", StringComparison.Ordinal) && !l.Contains("\"escalationLevel\":1,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("{\"owner\":\"li\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("escalated: claim deadline passed", StringComparison.Ordinal));
        Assert.Contains("acknowledged: owner", lines);
    }

    /// <summary>The shell block that follows the "Walk-through" heading.</summary>
    private static string WalkThrough(string readme)
    {
        var section = readme[readme.IndexOf("## Walk-through", StringComparison.Ordinal)..];
        var start = section.IndexOf("```sh\n", StringComparison.Ordinal) + "```sh\n".Length;
        return section[start..section.IndexOf("\n```", start, StringComparison.Ordinal)];
    }
}
