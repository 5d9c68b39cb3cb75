using Dispatch.Bench.Infrastructure;
using Dispatch.Bench.Scenarios;

namespace Dispatch.Bench.Tests;

/// <summary>
/// The claim storm at a tiny size against every service it compares: the answers must be right
/// (one winner per place, every acknowledged winner stored, no errors). Its speed is not judged here.
/// </summary>
[Collection(OneBenchAtATime.Name)]
public sealed class ClaimStormSmokeTests
{
    [Theory]
    [InlineData(DispatchTarget.Embedded, 1)]
    [InlineData(DispatchTarget.Postgres, 3)]
    public async Task Every_service_gives_each_place_one_winner_and_keeps_every_acknowledged_claim(DispatchTarget target, int places)
    {
        var options = new ClaimStormOptions
        {
            Wishes = 12,
            Contenders = 6,
            Places = places,
            Concurrency = 8,
            WarmupWishes = 4,
            WishesPerCommunity = 6,
            Target = target,
        };

        var summary = await ClaimStorm.RunAsync(options, CancellationToken.None);

        foreach (var (name, figures) in new[] { ("Dispatch", summary.Dispatch), ("baseline", summary.Baseline) })
        {
            Assert.True(figures.Attempts == 12 * 6, $"{name}: {figures.Attempts} attempts");
            Assert.True(figures.Errors == 0, $"{name}: {figures.Errors} errors");
            Assert.True(figures.DoubleClaims == 0, $"{name}: {figures.DoubleClaims} double claims");
            Assert.True(figures.LostAcknowledgements == 0, $"{name}: {figures.LostAcknowledgements} acknowledged claims not stored");
            Assert.True(figures.Winners == 12 * places, $"{name}: {figures.Winners} winners");
            Assert.True(figures.WishesFilled == 12, $"{name}: {figures.WishesFilled} wishes filled");
        }

        Assert.Equal(0, summary.Ceiling.Errors);
        Assert.Equal(12 * 6, summary.Ceiling.Attempts);
        Assert.True(summary.Ratio > 0);
    }
}
