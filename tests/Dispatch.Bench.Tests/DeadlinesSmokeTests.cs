using Dispatch.Bench.Scenarios;

namespace Dispatch.Bench.Tests;

/// <summary>
/// The deadline scenario at a tiny size: every deadline of the burst is applied (none missed),
/// nothing escalates while nothing is due, and the idle figures are there. Speed is not judged here.
/// </summary>
[Collection(OneBenchAtATime.Name)]
public sealed class DeadlinesSmokeTests
{
    [Fact]
    public async Task Every_deadline_of_the_burst_is_applied_and_none_before_it_is_due()
    {
        var summary = await DeadlinesScenario.RunAsync(
            new DeadlinesOptions { Requests = 300, Burst = 100, IdleSeconds = 2, Concurrency = 8 },
            CancellationToken.None);

        Assert.Equal("deadlines", summary.Scenario);
        Assert.Equal(300, summary.Requests);
        Assert.True(summary.ActiveRequestGrains >= 300, $"{summary.ActiveRequestGrains} request grains active");

        Assert.Equal(0, summary.Burst.Missed);
        Assert.Equal(100, summary.Burst.Applied);
        Assert.True(summary.Burst.Early == 0, $"{summary.Burst.Early} of the burst escalated before their deadline");

        // Nothing is due while idle: not one escalation, and every open request's deadline is armed.
        Assert.Equal(0, summary.Idle.EscalationsPerMinute);
        Assert.True(summary.Idle.ReminderRows >= 300, $"{summary.Idle.ReminderRows} reminder rows");
    }
}
