using Dispatch.Bench.Scenarios;

namespace Dispatch.Bench.Tests;

/// <summary>
/// The memory scenario at a tiny size: every requested request grain is created, active when
/// measured, and claimed; the readings are there. The bytes themselves are not judged here.
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
            Assert.True(point.Requested == point.Requests, $"{point.Requests} {point.Phase}: only {point.Requests} of {point.Requested} created");
            Assert.True(point.ActiveRequestGrains >= point.Requests, $"{point.Requests} {point.Phase}: {point.ActiveRequestGrains} request grains active");
            Assert.True(point.HeapBytes > 0, $"{point.Requests} {point.Phase}: heap grew by {point.HeapBytes} bytes");
            Assert.True(point.PerSecond > 0);
        }

        Assert.All(summary.Points.Where(p => p.Phase == "claimed"), p => Assert.Equal(p.Requests, p.Claimed));
    }
}
