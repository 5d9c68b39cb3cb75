using Dispatch.Bench.Scenarios;

namespace Dispatch.Bench.Tests;

/// <summary>
/// The fan-out scenario at a tiny size: every console must get every change from Dispatch and from
/// the bare hub, with no hole in Dispatch's seq, and both claim storms must have their winners.
/// Its speed is not judged here.
/// </summary>
[Collection(OneBenchAtATime.Name)]
public sealed class FanoutSmokeTests
{
    [Fact]
    public async Task Every_console_gets_every_change_and_the_claim_storms_have_one_winner_per_wish()
    {
        var options = new FanoutOptions
        {
            Consoles = 20,
            Rate = 10,
            DurationSeconds = 1,
            WarmupChanges = 2,
            StormWishes = 6,
            StormContenders = 5,
            Concurrency = 8,
            ConnectParallelism = 8,
        };

        var summary = await FanoutScenario.RunAsync(options, CancellationToken.None);

        Assert.Equal(10, summary.Messages);
        Assert.True(summary.PayloadBytes > 0, "no Dispatch event was captured");
        foreach (var (name, figures) in new[] { ("Dispatch", summary.Dispatch), ("bare hub", summary.BareHub) })
        {
            Assert.True(figures.Expected == 10 * 20, $"{name}: {figures.Expected} deliveries expected");
            Assert.True(figures.Deliveries == figures.Expected, $"{name}: {figures.Deliveries} of {figures.Expected} deliveries");
            Assert.True(figures.Lost == 0, $"{name}: {figures.Lost} lost");
            Assert.True(figures.SeqGaps == 0, $"{name}: {figures.SeqGaps} seq gaps");
            Assert.True(figures.Resyncs == 0, $"{name}: {figures.Resyncs} resyncs");
            Assert.True(figures.Disconnects == 0, $"{name}: {figures.Disconnects} consoles disconnected");
            Assert.True(figures.ChangeErrors == 0, $"{name}: {figures.ChangeErrors} changes failed");
        }

        var claims = summary.Claims;
        Assert.True(claims.AttemptsEach == 6 * 5, $"{claims.AttemptsEach} attempts per storm");
        Assert.True(claims.WinnersWithoutConsoles == 6, $"{claims.WinnersWithoutConsoles} winners without consoles");
        Assert.True(claims.WinnersWithConsoles == 6, $"{claims.WinnersWithConsoles} winners with consoles");
        Assert.Equal(0, claims.DoubleClaims);
        Assert.Equal(0, claims.Errors);
    }
}
