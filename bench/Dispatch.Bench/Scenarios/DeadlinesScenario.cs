using System.CommandLine;

namespace Dispatch.Bench.Scenarios;

// Placeholder: being written.
internal static class DeadlinesScenario
{
    public static Command Command(Option<string?> json, Option<bool> quick) => new("deadlines", "not yet written");
}
