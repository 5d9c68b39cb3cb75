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
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();

        // The walk-through waits at most 30 s for the climb; a hung command must not hang the run.
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await bash.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            throw new TimeoutException($"The walk-through did not finish in 2 minutes.\n{await output}\n{await errors}");
        }

        var (stdout, stderr) = (await output, await errors);

        Assert.True(bash.ExitCode == 0, $"exit {bash.ExitCode}\n{stdout}\n{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("{\"id\":\"xinhua\",\"path\":[\"hulunbuir\",\"arong\",\"nierji\",\"xinhua\"]}", lines);
        Assert.Contains("\"claimed\"", lines);
        Assert.Contains("\"inProgress\"", lines);
        Assert.Contains("\"completed\"", lines);
        Assert.Contains("\"verified\"", lines);
        Assert.Contains("  \"verified\": 1,", lines);
        Assert.Contains("{\"total\":1}", lines);

        // The unclaimed urgent errand climbed to the region (the walk-through waits for it), then was taken up.
        Assert.Contains("{\"escalationLevel\":3,\"escalationPlaceId\":\"hulunbuir\",\"overdue\":true}", lines);
        Assert.Contains("[{\"title\":\"Book a clinic visit\",\"escalationLevel\":3}]", lines);
        // Issue #16, item 11: the town's staff may not silence the region's alert; the region's staff take it up.
        Assert.Contains("{\"status\":403,\"reason\":\"belowEscalationLevel\"}", lines);
        Assert.Contains("{\"owner\":\"zhao\",\"escalationLevel\":3,\"deadlines\":[]}", lines);
        var climbs = lines.Where(l => l.StartsWith("escalated: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["level 1 (nierji)", "level 2 (arong)", "level 3 (hulunbuir)"], climbs.Select(l => l[(l.LastIndexOf("; ", StringComparison.Ordinal) + 2)..]));
        Assert.StartsWith("escalated: claim deadline passed at ", climbs[0], StringComparison.Ordinal);
        Assert.Contains("acknowledged: owner", lines);

        // Reporting in: the application waits and its applicant may do nothing else; the town's staff approve, the newcomer claims.
        Assert.Contains("{\"status\":\"waiting\"}", lines);
        Assert.Contains("{\"kind\":\"person\",\"status\":\"waiting\"}", lines);
        Assert.Contains("{\"status\":403,\"reason\":\"roleNotAllowed\"}", lines);
        Assert.Contains("{\"status\":\"approved\",\"decidedBy\":\"li\"}", lines);
        Assert.Contains("{\"status\":\"claimed\",\"claimants\":[\"wangfang\"]}", lines);
    }

    /// <summary>The shell block that follows the "Walk-through" heading.</summary>
    private static string WalkThrough(string readme)
    {
        var section = readme[readme.IndexOf("## Walk-through", StringComparison.Ordinal)..];
        var start = section.IndexOf("```sh\n", StringComparison.Ordinal) + "```sh\n".Length;
        return section[start..section.IndexOf("\n```", start, StringComparison.Ordinal)];
    }
}
