using System.Collections.Concurrent;
using Dispatch.Notifications.Channels;
using Dispatch.Notifications.Channels.Robots;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.UnitTests.Notifications.Channels;

/// <summary>The per-robot limiter on a fake clock with a wire that records what it was given.</summary>
public sealed class RobotRateLimiterTests
{
    private static readonly ChannelTarget Robot = new(ChannelNames.WeCom, "https://robot.test/send?key=a", []);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

    private static ChannelMessage Message(int i) => new($"k{i}", $"标题 {i}", $"正文 {i}", DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task A_burst_goes_out_alone_until_the_last_slot_which_carries_the_rest_as_one_digest()
    {
        var wire = new RecordingWire(time);
        using var limiter = new RobotRateLimiter([new RateWindow(18, TimeSpan.FromMinutes(1))], time, wire);

        var results = await Task.WhenAll(Enumerable.Range(1, 25).Select(i => limiter.SendAsync(Robot, Message(i), CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(ChannelOutcome.Delivered, r.Outcome));
        Assert.Equal(18, wire.Posts.Count);
        Assert.All(wire.Posts.Take(17), (post, i) => Assert.Equal([$"k{i + 1}"], post.Keys));
        Assert.Equal(Enumerable.Range(18, 8).Select(i => $"k{i}"), wire.Posts[17].Keys);
        Assert.All(wire.Posts, post => Assert.Equal(time.GetUtcNow(), post.At));
    }

    [Fact]
    public async Task While_the_budget_is_spent_messages_wait_and_go_out_together_when_it_returns()
    {
        var wire = new RecordingWire(time);
        using var limiter = new RobotRateLimiter([new RateWindow(2, TimeSpan.FromMinutes(1))], time, wire);
        await Task.WhenAll(limiter.SendAsync(Robot, Message(1), CancellationToken.None), limiter.SendAsync(Robot, Message(2), CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(30));

        var waiting = Enumerable.Range(3, 3).Select(i => limiter.SendAsync(Robot, Message(i), CancellationToken.None)).ToList();

        // The budget cannot return before the clock moves, so nothing of these can have gone.
        Assert.All(waiting, task => Assert.False(task.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(30));
        var results = await Task.WhenAll(waiting);

        Assert.All(results, r => Assert.Equal(ChannelOutcome.Delivered, r.Outcome));
        Assert.Equal(3, wire.Posts.Count);
        Assert.Equal(["k3", "k4", "k5"], wire.Posts[2].Keys);
        Assert.Equal(time.GetUtcNow(), wire.Posts[2].At);
    }

    [Fact]
    public async Task Every_window_holds_a_per_second_and_a_per_minute_limit()
    {
        var wire = new RecordingWire(time);
        using var limiter = new RobotRateLimiter(
            [new RateWindow(4, TimeSpan.FromSeconds(1)), new RateWindow(6, TimeSpan.FromMinutes(1))], time, wire);

        await Task.WhenAll(Enumerable.Range(1, 4).Select(i => limiter.SendAsync(Robot, Message(i), CancellationToken.None)));
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(Enumerable.Range(5, 2).Select(i => limiter.SendAsync(Robot, Message(i), CancellationToken.None)));
        time.Advance(TimeSpan.FromSeconds(1));
        var late = limiter.SendAsync(Robot, Message(7), CancellationToken.None);

        Assert.False(late.IsCompleted);
        Assert.Equal(6, wire.Posts.Count);
        time.Advance(TimeSpan.FromSeconds(58));
        Assert.Equal(ChannelOutcome.Delivered, (await late).Outcome);
        Assert.Equal(7, wire.Posts.Count);
    }

    [Fact]
    public async Task A_long_message_takes_one_slot_per_part()
    {
        var wire = new RecordingWire(time) { PartsPerPost = 3 };
        using var limiter = new RobotRateLimiter([new RateWindow(2, TimeSpan.FromMinutes(1))], time, wire);

        var sending = limiter.SendAsync(Robot, Message(1), CancellationToken.None);
        await wire.WaitForPartsAsync(2);

        Assert.False(sending.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ChannelOutcome.Delivered, (await sending).Outcome);
        Assert.Equal(3, wire.Parts.Count);
    }

    [Fact]
    public async Task A_robot_that_says_slow_down_holds_its_queue_and_the_callers_hear_retry_later()
    {
        var wire = new RecordingWire(time) { Answer = new ChannelResult(ChannelOutcome.RetryLater, "45009", TimeSpan.FromMinutes(1)) };
        using var limiter = new RobotRateLimiter([new RateWindow(18, TimeSpan.FromMinutes(1))], time, wire);

        var first = await limiter.SendAsync(Robot, Message(1), CancellationToken.None);
        wire.Answer = ChannelResult.Delivered;
        var second = limiter.SendAsync(Robot, Message(2), CancellationToken.None);

        Assert.Equal(ChannelOutcome.RetryLater, first.Outcome);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ChannelOutcome.Delivered, (await second).Outcome);
    }

    [Fact]
    public async Task Robots_have_budgets_of_their_own()
    {
        var wire = new RecordingWire(time);
        using var limiter = new RobotRateLimiter([new RateWindow(1, TimeSpan.FromMinutes(1))], time, wire);
        var other = Robot with { Address = "https://robot.test/send?key=b" };

        await limiter.SendAsync(Robot, Message(1), CancellationToken.None);
        var result = await limiter.SendAsync(other, Message(2), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Delivered, result.Outcome);
        Assert.Equal(2, wire.Posts.Count);
    }

    [Fact]
    public async Task A_caller_who_gives_up_before_its_turn_is_not_sent()
    {
        var wire = new RecordingWire(time);
        using var limiter = new RobotRateLimiter([new RateWindow(1, TimeSpan.FromMinutes(1))], time, wire);
        await limiter.SendAsync(Robot, Message(1), CancellationToken.None);
        using var giveUp = new CancellationTokenSource();

        var abandoned = limiter.SendAsync(Robot, Message(2), giveUp.Token);
        var kept = limiter.SendAsync(Robot, Message(3), CancellationToken.None);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        time.Advance(TimeSpan.FromMinutes(1));
        await kept;

        Assert.Equal(["k3"], wire.Posts[^1].Keys);
    }

    [Fact]
    public async Task Stopping_answers_every_waiting_caller_with_retry_later()
    {
        var wire = new RecordingWire(time);
        var limiter = new RobotRateLimiter([new RateWindow(1, TimeSpan.FromMinutes(1))], time, wire);
        await limiter.SendAsync(Robot, Message(1), CancellationToken.None);
        var waiting = limiter.SendAsync(Robot, Message(2), CancellationToken.None);

        limiter.Dispose();

        Assert.Equal(ChannelOutcome.RetryLater, (await waiting.WaitAsync(TimeSpan.FromSeconds(30))).Outcome);
        Assert.Single(wire.Posts);
    }

    private sealed class RecordingWire(TimeProvider time) : IRobotWire
    {
        private readonly ConcurrentQueue<(int Count, TaskCompletionSource Reached)> waiters = new();

        public List<(IReadOnlyList<string> Keys, DateTimeOffset At)> Posts { get; } = [];

        public ConcurrentQueue<RobotPost> Parts { get; } = new();

        public int PartsPerPost { get; init; } = 1;

        public ChannelResult Answer { get; set; } = ChannelResult.Delivered;

        private IReadOnlyList<string> lastKeys = [];

        public IReadOnlyList<RobotPost> Render(IReadOnlyList<ChannelMessage> batch)
        {
            lastKeys = batch.Select(m => m.Key).ToList();
            return Enumerable.Range(1, PartsPerPost).Select(i => new RobotPost(string.Join(',', lastKeys), $"part {i}")).ToList();
        }

        public Task<ChannelResult> PostAsync(ChannelTarget target, RobotPost part, CancellationToken cancellationToken)
        {
            if (part.Body == "part 1")
            {
                lock (Posts) Posts.Add((lastKeys, time.GetUtcNow()));
            }

            Parts.Enqueue(part);
            foreach (var waiter in waiters)
            {
                if (Parts.Count >= waiter.Count) waiter.Reached.TrySetResult();
            }

            return Task.FromResult(Answer);
        }

        public Task WaitForPartsAsync(int count)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Enqueue((count, reached));
            if (Parts.Count >= count) reached.TrySetResult();
            return reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
