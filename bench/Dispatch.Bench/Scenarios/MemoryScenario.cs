using System.CommandLine;

namespace Dispatch.Bench.Scenarios;

// Placeholder: being written.
internal static class MemoryScenario
{
    public static Command Command(Option<string?> json, Option<bool> quick) => new("memory", "not yet written");
}
