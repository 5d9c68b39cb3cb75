using Orleans.Concurrency;

namespace Dispatch.UnitTests.Infrastructure;

public sealed class TurnGateTests
{
    [Fact]
    public async Task A_turn_waits_until_the_one_before_it_has_ended()
    {
        using var gate = new TurnGate();
        var release = Signal();
        var first = gate.Run(() => release.Task);

        var secondRan = false;
        var second = gate.Run(() =>
        {
            secondRan = true;
            return Task.CompletedTask;
        });

        Assert.False(secondRan);
        Assert.False(second.IsCompleted);

        release.SetResult();
        await first;
        await second;
        Assert.True(secondRan);
    }

    [Fact]
    public async Task Many_turns_started_together_never_overlap()
    {
        using var gate = new TurnGate();
        var inside = 0;
        var most = 0;
        var release = Signal();

        var turns = Enumerable.Range(0, 20).Select(_ => gate.Run(async () =>
        {
            most = Math.Max(most, Interlocked.Increment(ref inside));
            await release.Task;
            await Task.Yield();
            Interlocked.Decrement(ref inside);
        })).ToArray();

        release.SetResult();
        await Task.WhenAll(turns);
        Assert.Equal(1, most);
    }

    [Fact]
    public async Task The_holder_asking_for_a_turn_again_runs_inline()
    {
        using var gate = new TurnGate();

        var answer = await gate.Run(async () =>
        {
            await Task.Yield();
            Assert.True(gate.IsHeld);

            // Were it to wait for a turn, it would wait for itself.
            var inner = gate.Run(() => Task.FromResult(7));
            Assert.True(inner.IsCompletedSuccessfully);
            return await inner;
        });

        Assert.Equal(7, answer);
    }

    [Fact]
    public async Task The_turn_is_not_held_outside_it()
    {
        using var gate = new TurnGate();
        Assert.False(gate.IsHeld);

        await gate.Run(() => Task.CompletedTask);

        Assert.False(gate.IsHeld);
    }

    [Fact]
    public async Task A_turn_that_fails_is_released()
    {
        using var gate = new TurnGate();

        await Assert.ThrowsAsync<InvalidOperationException>(() => gate.Run(() => Task.FromException(new InvalidOperationException())));
        await Assert.ThrowsAsync<InvalidOperationException>(() => gate.Run(Throws));

        var next = gate.Run(() => Task.FromResult(1));
        Assert.True(next.IsCompletedSuccessfully);
        Assert.False(gate.IsHeld);

        static Task Throws() => throw new InvalidOperationException();
    }

    [Fact]
    public async Task Holding_one_gate_is_no_turn_at_another()
    {
        using var mine = new TurnGate();
        using var other = new TurnGate();
        var release = Signal();
        var otherHolder = other.Run(() => release.Task);

        await mine.Run(async () =>
        {
            var waiting = other.Run(() => Task.CompletedTask);
            Assert.False(waiting.IsCompleted);
            release.SetResult();
            await waiting;
        });

        await otherHolder;
    }

    [Fact]
    public void Only_methods_marked_to_interleave_skip_the_line()
    {
        Assert.True(TurnGate.Interleaves(typeof(IProbe).GetMethod(nameof(IProbe.Read))!));
        Assert.False(TurnGate.Interleaves(typeof(IProbe).GetMethod(nameof(IProbe.Change))!));
    }

    private static TaskCompletionSource Signal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private interface IProbe
    {
        [AlwaysInterleave]
        Task Read();

        Task Change();
    }
}
