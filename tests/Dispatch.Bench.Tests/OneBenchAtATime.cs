namespace Dispatch.Bench.Tests;

/// <summary>The scenarios start servers and load them: one at a time, so that they do not starve each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneBenchAtATime
{
    public const string Name = "bench";
}
