using Dispatch.Bench.Scenarios;

namespace Dispatch.Bench.Tests;

/// <summary>
/// The memory scenario at a tiny size: every requested request grain is created, active when
/// measured, and claimed. The bytes and the rates are not judged here: they depend on the collector and the machine.
/// </summary>
[Collection(OneBenchAtATime.Name)]
public sealed class MemorySmokeTests
{
    [Fact]
    public async Task Each_size_creates_keeps_active_and_claims_every_request()
    {
        var summary = await MemoryScenario.RunAsync(
            new MemoryOptions { Sizes = [150, 300], MaxMinutes = 10, Concurrency = 8 },
            CancellationToken.None);

        Assert.Equal("memory", summary.Scenario);
        Assert.Equal([150, 150, 300, 300], summary.Points.Select(p => p.Requests));
        Assert.Equal(["idle", "claimed", "idle", "claimed"], summary.Points.Select(p => p.Phase));
        foreach (var point in summary.Points)
        {
            // Requested: the size asked for; Requests: how many were created.
            Assert.True(point.Requests == point.Requested, $"{point.Requested} {point.Phase}: only {point.Requests} of {point.Requested} created");
            Assert.True(point.ActiveRequestGrains >= point.Requests, $"{point.Requested} {point.Phase}: {point.ActiveRequestGrains} of {point.Requests} request grains active");
        }

        Assert.All(summary.Points.Where(p => p.Phase == "claimed"), p => Assert.Equal(p.Requests, p.Claimed));
    }
}
