using System.CommandLine;

namespace Dispatch.Bench.Scenarios;

// Placeholder: being written.
internal static class FanoutScenario
{
    public static Command Command(Option<string?> json, Option<bool> quick) => new("fanout", "not yet written");
}
