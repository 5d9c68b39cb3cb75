using System.Collections.Concurrent;
using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.WebHost.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// The web host's gathering of claim attempts on one request into one grain call, against a
/// scripted grain: what is sent together, in which order, and that every attempt gets its own answer once.
/// </summary>
public sealed class ClaimCoalescerTests
{
    private static readonly Guid Wish = Guid.NewGuid();

    [Fact]
    public async Task A_lone_attempt_is_sent_at_once_on_its_own()
    {
        var grain = new ScriptedGrain();
        var coalescer = new ClaimCoalescer(grain.ClaimEach);

        var answer = coalescer.Claim(Wish, Volunteer(0));
        var call = await grain.NextCall();
        call.Answer(ClaimRefusals.Lost(ClaimLoss.Full));

        Assert.Same(ClaimRefusals.Lost(ClaimLoss.Full), await answer);
        Assert.Equal(["v0"], call.Usernames);
        await AllLanesRetire(coalescer);
    }

    [Fact]
    public async Task Attempts_arriving_while_two_calls_are_in_flight_go_together_in_the_order_they_came()
    {
        var grain = new ScriptedGrain();
        var coalescer = new ClaimCoalescer(grain.ClaimEach);
        var (first, second, inFlight) = await TwoInFlight(grain, coalescer);

        var waiting = Enumerable.Range(2, 5).Select(i => coalescer.Claim(Wish, Volunteer(i))).ToArray();
        Assert.False(grain.HasPendingCall);

        // The second call comes back first: the waiting attempts go without waiting for the first.
        inFlight[1].Answer(ClaimRefusals.Lost(ClaimLoss.Full));
        var batch = await grain.NextCall();
        Assert.Equal(["v2", "v3", "v4", "v5", "v6"], batch.Usernames);
        batch.Answer(ClaimRefusals.Lost(ClaimLoss.NotOpen), ClaimRefusals.Lost(ClaimLoss.AlreadyClaimed), ClaimRefusals.Lost(ClaimLoss.Full), ClaimRefusals.Lost(ClaimLoss.ClaimLimit), ClaimRefusals.Lost(ClaimLoss.Reserved));
        Assert.Equal(
            [ClaimRefusals.Lost(ClaimLoss.NotOpen), ClaimRefusals.Lost(ClaimLoss.AlreadyClaimed), ClaimRefusals.Lost(ClaimLoss.Full), ClaimRefusals.Lost(ClaimLoss.ClaimLimit), ClaimRefusals.Lost(ClaimLoss.Reserved)],
            await Task.WhenAll(waiting));
        Assert.Same(ClaimRefusals.Lost(ClaimLoss.Full), await second);

        Assert.False(first.IsCompleted);
        inFlight[0].Answer(ClaimRefusals.Lost(ClaimLoss.Full));
        Assert.Same(ClaimRefusals.Lost(ClaimLoss.Full), await first);
        await AllLanesRetire(coalescer);
    }

    [Fact]
    public async Task Attempts_on_different_requests_never_share_a_call()
    {
        var grain = new ScriptedGrain();
        var coalescer = new ClaimCoalescer(grain.ClaimEach);
        var other = Guid.NewGuid();

        var onWish = coalescer.Claim(Wish, Volunteer(0));
        var onOther = coalescer.Claim(other, Volunteer(1));
        var calls = new[] { await grain.NextCall(), await grain.NextCall() };

        Assert.Equal(new[] { Wish, other }.Order(), calls.Select(c => c.RequestId).Order());
        Assert.All(calls, c => Assert.Single(c.Usernames));
        foreach (var call in calls)
        {
            call.Answer(ClaimRefusals.Lost(ClaimLoss.Full));
        }

        await Task.WhenAll(onWish, onOther);
    }

    [Fact]
    public async Task Attempts_the_grain_left_undecided_go_again_first()
    {
        var grain = new ScriptedGrain();
        var coalescer = new ClaimCoalescer(grain.ClaimEach);
        var (first, second, inFlight) = await TwoInFlight(grain, coalescer);
        var batched = Enumerable.Range(2, 4).Select(i => coalescer.Claim(Wish, Volunteer(i))).ToArray();
        inFlight[1].Answer(ClaimRefusals.Lost(ClaimLoss.Full));

        // The grain decides two of four (the third could not be stored), and a seventh attempt arrives meanwhile.
        var batch = await grain.NextCall();
        var late = coalescer.Claim(Wish, Volunteer(6));
        batch.Answer(ClaimRefusals.Lost(ClaimLoss.Full), ClaimRefusals.Lost(ClaimLoss.Full));

        var again = await grain.NextCall();
        Assert.Equal(["v4", "v5", "v6"], again.Usernames);
        again.Answer(ClaimRefusals.Lost(ClaimLoss.NotOpen), ClaimRefusals.Lost(ClaimLoss.NotOpen), ClaimRefusals.Lost(ClaimLoss.NotOpen));

        Assert.Equal([ClaimRefusals.Lost(ClaimLoss.Full), ClaimRefusals.Lost(ClaimLoss.Full), ClaimRefusals.Lost(ClaimLoss.NotOpen), ClaimRefusals.Lost(ClaimLoss.NotOpen)], await Task.WhenAll(batched));
        Assert.Same(ClaimRefusals.Lost(ClaimLoss.NotOpen), await late);
        inFlight[0].Answer(ClaimRefusals.Lost(ClaimLoss.Full));
        await Task.WhenAll(first, second);
    }

    [Fact]
    public async Task A_failure_reaches_only_the_first_attempt_of_its_call_and_the_rest_go_again()
    {
        var grain = new ScriptedGrain();
        var coalescer = new ClaimCoalescer(grain.ClaimEach);
        var (first, second, inFlight) = await TwoInFlight(grain, coalescer);
        var batched = Enumerable.Range(2, 3).Select(i => coalescer.Claim(Wish, Volunteer(i))).ToArray();
        inFlight[1].Answer(ClaimRefusals.Lost(ClaimLoss.Full));

        var failing = await grain.NextCall();
        failing.Fail(new TimeoutException("storage did not answer"));
        var again = await grain.NextCall();
        Assert.Equal(["v3", "v4"], again.Usernames);
        again.Answer(ClaimRefusals.Lost(ClaimLoss.Full), ClaimRefusals.Lost(ClaimLoss.Full));

        await Assert.ThrowsAsync<TimeoutException>(() => batched[0]);
        Assert.Equal([ClaimRefusals.Lost(ClaimLoss.Full), ClaimRefusals.Lost(ClaimLoss.Full)], await Task.WhenAll(batched[1..]));
        inFlight[0].Answer(ClaimRefusals.Lost(ClaimLoss.Full));
        await Task.WhenAll(first, second);
    }

    [Fact]
    public async Task A_call_carries_at_most_the_batch_limit()
    {
        var grain = new ScriptedGrain();
        var coalescer = new ClaimCoalescer(grain.ClaimEach);
        var (first, second, inFlight) = await TwoInFlight(grain, coalescer);
        var waiting = Enumerable.Range(2, ClaimCoalescer.MaxBatch + 44).Select(i => coalescer.Claim(Wish, Volunteer(i))).ToArray();
        inFlight[0].Answer(ClaimRefusals.Lost(ClaimLoss.Full));

        var full = await grain.NextCall();
        Assert.Equal(ClaimCoalescer.MaxBatch, full.Usernames.Length);
        inFlight[1].Answer(ClaimRefusals.Lost(ClaimLoss.Full));
        var rest = await grain.NextCall();
        Assert.Equal(44, rest.Usernames.Length);
        Assert.Equal($"v{ClaimCoalescer.MaxBatch + 2}", rest.Usernames[0]);
        full.Answer([.. Enumerable.Repeat(ClaimRefusals.Lost(ClaimLoss.Full), ClaimCoalescer.MaxBatch)]);
        rest.Answer([.. Enumerable.Repeat(ClaimRefusals.Lost(ClaimLoss.Full), 44)]);

        Assert.All(await Task.WhenAll(waiting), r => Assert.Same(ClaimRefusals.Lost(ClaimLoss.Full), r));
        await Task.WhenAll(first, second);
    }

    [Fact]
    public async Task Under_concurrent_attempts_each_is_decided_once_and_no_request_has_more_than_two_calls_in_flight()
    {
        const int Attempts = 2000;
        var requests = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        var decided = new ConcurrentDictionary<string, int>();
        var inFlight = new ConcurrentDictionary<Guid, int>();
        var overlaps = 0;
        var coalescer = new ClaimCoalescer(async (id, claimants) =>
        {
            if (inFlight.AddOrUpdate(id, 1, (_, n) => n + 1) > ClaimCoalescer.MaxInFlight)
            {
                Interlocked.Increment(ref overlaps);
            }

            await Task.Yield();
            foreach (var claimant in claimants)
            {
                decided.AddOrUpdate(claimant.Username, 1, (_, n) => n + 1);
            }

            inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
            return [.. claimants.Select(c => c.Username.EndsWith('7') ? ClaimRefusals.Lost(ClaimLoss.NotOpen) : ClaimRefusals.Lost(ClaimLoss.Full))];
        });

        using var start = new Barrier(8);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            start.SignalAndWait();
            var mine = new List<(string, Outcome<RequestView>)>();
            for (var i = worker; i < Attempts; i += 8)
            {
                mine.Add(($"v{i}", await coalescer.Claim(requests[i % requests.Length], Volunteer(i))));
            }

            return mine;
        })));

        Assert.Equal(0, overlaps);
        Assert.Equal(Attempts, decided.Count);
        Assert.All(decided.Values, n => Assert.Equal(1, n));
        Assert.All(answers.SelectMany(a => a), a => Assert.Same(a.Item1.EndsWith('7') ? ClaimRefusals.Lost(ClaimLoss.NotOpen) : ClaimRefusals.Lost(ClaimLoss.Full), a.Item2));
        await AllLanesRetire(coalescer);
    }

    private static Claimant Volunteer(int i) => new($"v{i}", "community");

    /// <summary>Two attempts, v0 and v1, each sent at once on its own, and both calls still in flight.</summary>
    private static async Task<(Task<Outcome<RequestView>> First, Task<Outcome<RequestView>> Second, Call[] InFlight)> TwoInFlight(ScriptedGrain grain, ClaimCoalescer coalescer)
    {
        var first = coalescer.Claim(Wish, Volunteer(0));
        var second = coalescer.Claim(Wish, Volunteer(1));
        Call[] calls = [await grain.NextCall(), await grain.NextCall()];
        Assert.Equal([["v0"], ["v1"]], calls.Select(c => c.Usernames));
        return (first, second, calls);
    }

    /// <summary>A grain whose calls wait until the test answers them.</summary>
    private sealed class ScriptedGrain
    {
        private readonly System.Threading.Channels.Channel<Call> calls = System.Threading.Channels.Channel.CreateUnbounded<Call>();

        public bool HasPendingCall => calls.Reader.Count > 0;

        public Task<ImmutableArray<Outcome<RequestView>>> ClaimEach(Guid id, ImmutableArray<Claimant> claimants)
        {
            var call = new Call(id, [.. claimants.Select(c => c.Username)]);
            calls.Writer.TryWrite(call);
            return call.Result.Task;
        }

        public async Task<Call> NextCall()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await calls.Reader.ReadAsync(timeout.Token);
        }
    }

    private sealed record Call(Guid RequestId, string[] Usernames)
    {
        public TaskCompletionSource<ImmutableArray<Outcome<RequestView>>> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Answer(params Outcome<RequestView>[] results) => Result.SetResult([.. results]);

        public void Fail(Exception exception) => Result.SetException(exception);
    }

    /// <summary>A sender answers its batch first and retires its lane on its next turn, which may still be running.</summary>
    private static async Task AllLanesRetire(ClaimCoalescer coalescer) =>
        Assert.Equal(0, await Eventually.Get(() => Task.FromResult(coalescer.ActiveLanes), lanes => lanes == 0));
}
