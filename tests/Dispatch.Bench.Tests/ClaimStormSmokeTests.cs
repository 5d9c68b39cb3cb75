using Dispatch.Bench.Infrastructure;
using Dispatch.Bench.Scenarios;

namespace Dispatch.Bench.Tests;

/// <summary>
/// The claim storm at a tiny size: the answers must be right (one winner per place, every
/// acknowledged winner stored, every loss with a known reason, no volunteer over the claim limit).
/// Its speed is not judged here.
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

        Assert.NotNull(summary.Baseline);
        Assert.NotNull(summary.Ceiling);
        foreach (var (name, figures) in new[] { ("Dispatch", summary.Dispatch), ("baseline", summary.Baseline) })
        {
            Assert.True(figures.Errors == 0, $"{name}: {figures.Errors} errors (answers other than 200 or a 409 with a known reason)");
            Assert.True(figures.DoubleClaims == 0, $"{name}: {figures.DoubleClaims} double claims");
            Assert.True(figures.LostAcknowledgements == 0, $"{name}: {figures.LostAcknowledgements} acknowledged claims not stored");
            Assert.True(figures.Winners == 12 * places, $"{name}: {figures.Winners} winners, expected {12 * places}");
            Assert.True(figures.WishesFilled == 12, $"{name}: {figures.WishesFilled} of 12 wishes filled");
        }

        // The speed runs raise Dispatch's limit out of reach; it is still counted on the stored requests.
        Assert.Equal(1000, summary.Dispatch.ClaimLimit);
        Assert.Equal(0, summary.Dispatch.VolunteersOverLimit);
        Assert.Equal(0, summary.Ceiling.Errors);
        Assert.True(ClaimStorm.IsCorrect(summary));
    }

    /// <summary>
    /// Dispatch as shipped (claim limit 5, rate limits untouched): 3 volunteers race for 16 wishes,
    /// each trying every wish once (16 attempts each, inside the claim rate limit's burst of 20), so
    /// the limit decides: together they can hold 15, and a volunteer still under the limit never
    /// loses a wish that ends unclaimed, so exactly 15 are won and each volunteer holds 5.
    /// </summary>
    [Fact]
    public async Task At_the_shipped_limits_no_volunteer_holds_more_than_the_claim_limit_and_every_win_is_stored()
    {
        const int Volunteers = 3;
        const int Wishes = 16;
        var options = new ClaimStormOptions
        {
            Wishes = Wishes,
            Contenders = Volunteers,
            Concurrency = 8,
            WarmupWishes = 0,
            WishesPerCommunity = Wishes,
            ShippedLimits = true,
        };

        var summary = await ClaimStorm.RunAsync(options, CancellationToken.None);

        var dispatch = summary.Dispatch;
        Assert.Null(summary.Baseline);
        Assert.Equal(5, dispatch.ClaimLimit);
        var losses = StormTally.Describe(dispatch.Losses);
        Assert.True(dispatch.Errors == 0, $"{dispatch.Errors} errors (answers other than 200 or a 409 with a known reason); losses {losses}");
        Assert.True(dispatch.DoubleClaims == 0, $"{dispatch.DoubleClaims} double claims");
        Assert.True(dispatch.LostAcknowledgements == 0, $"{dispatch.LostAcknowledgements} acknowledged claims not stored");
        Assert.True(dispatch.VolunteersOverLimit == 0,
            $"{dispatch.VolunteersOverLimit} volunteers hold more than {dispatch.ClaimLimit} claims on the stored requests (at most {dispatch.MostClaimsHeld}); losses {losses}");
        Assert.True(dispatch.Winners == Volunteers * 5,
            $"{dispatch.Winners} winners, expected {Volunteers * 5} (3 volunteers × limit 5; {Wishes} wishes): a wish was lost by someone under the limit; losses {losses}");
    }
}
