using Dispatch.Bench.Scenarios;

namespace Dispatch.Bench.Tests;

/// <summary>
/// The scale scenario at a tiny size, for correctness only: every request published through the
/// batch route, every one in the query store under the status it has, every read answered. Speed
/// is not judged here.
/// </summary>
[Collection(OneBenchAtATime.Name)]
public sealed class ScaleSmokeTests
{
    [Fact]
    public async Task Every_published_request_reaches_the_query_store_with_its_status()
    {
        var options = new ScaleOptions { Requests = 240, Open = 90, Communities = 6, Counties = 2, BatchSize = 100, Samples = 5 };

        var summary = await ScaleScenario.RunAsync(options, CancellationToken.None);

        Assert.Equal("scale", summary.Scenario);
        Assert.Equal((240, 0), (summary.Published, summary.Failed));
        Assert.Equal(150, summary.Cancelled);
        Assert.Equal(0, summary.MissingAfterStorm);
        Assert.Equal((240, 90, 150), (summary.StoredTotal, summary.StoredOpen, summary.StoredCancelled));
        Assert.True(ScaleScenario.IsCorrect(summary));
        Assert.True(summary.PublishPerSec > 0);
        Assert.All([summary.ListP99Ms, summary.SearchP99Ms, summary.StatsCountyP99Ms, summary.StatsRegionP99Ms], p99 => Assert.True(p99 > 0));
        Assert.True(summary.RssMb > 0);
    }
}
