using System.CommandLine;

namespace Dispatch.Bench.Scenarios;

/// <summary>The command-line entries of the scenarios other than the claim storm, and the servers they need.</summary>
internal static class ScenarioCommands
{
    public static IEnumerable<Command> All(Option<string?> json, Option<bool> quick) =>
    [
        FanoutScenario.Command(json, quick),
        MemoryScenario.Command(json, quick),
        DeadlinesScenario.Command(json, quick),
        ScaleScenario.Command(json, quick),
    ];

    /// <summary>A comparison server of one of these scenarios; null when there is none of that name.</summary>
    public static WebApplication? Server(string kind, string[] arguments, string signingKey) =>
        kind == "hub" ? Servers.BareHubServer.Build(arguments, signingKey) : null;
}
