using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Dispatch.Notifications;
using Dispatch.Notifications.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;

namespace Dispatch.UnitTests.Notifications;

/// <summary>
/// The order in which a round stores its results: each write is a copy of the outbox through the
/// silo's serializer (what storage would hold), and every target answers only when the test says.
/// </summary>
public sealed class NotificationsDispatcherTests : IDisposable
{
    private static readonly ChannelResult Down = new(ChannelOutcome.RetryLater, "The endpoint answered 503.");

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
    private readonly DeliveryPolicy policy = new();
    private readonly ServiceProvider services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(DeliveryOutbox).Assembly))
        .BuildServiceProvider();

    private readonly BarrierSender sender = new();
    private readonly Writes writes;

    public NotificationsDispatcherTests() => writes = new Writes(services.GetRequiredService<Serializer>());

    [Fact]
    public async Task Each_result_is_stored_as_it_arrives_and_a_hanging_target_holds_up_no_other()
    {
        var outbox = Outbox("slow", "quick-1", "quick-2");

        var round = Round(outbox);
        await sender.Answer("quick-2", ChannelResult.Delivered);
        var first = await writes.Next();
        await sender.Answer("quick-1", Down);
        var second = await writes.Next();

        Assert.Equal([DeliveryStatus.Pending, DeliveryStatus.Pending, DeliveryStatus.Delivered], Statuses(first));
        Assert.Equal([DeliveryStatus.Pending, DeliveryStatus.Pending, DeliveryStatus.Delivered], Statuses(second));
        Assert.Equal((1, true), (second.Find(2)!.Attempts, second.Find(2)!.NextAttemptAt > time.GetUtcNow()));
        Assert.Equal(0, second.Find(1)!.Attempts);
        Assert.False(round.IsCompleted);

        await sender.Answer("slow", ChannelResult.Delivered);
        var last = await writes.Next();
        await round;

        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Pending, DeliveryStatus.Delivered], Statuses(last));
        Assert.Equal(3, writes.Count);
        Assert.Equal(["slow", "quick-1", "quick-2"], sender.Sent);
    }

    [Fact]
    public async Task Results_that_arrive_while_a_write_is_on_its_way_go_into_the_next_write()
    {
        var outbox = Outbox("a", "b", "c");
        writes.Hold();

        var round = Round(outbox);
        await sender.Answer("a", ChannelResult.Delivered);
        var first = await writes.Next();
        await sender.Answer("b", ChannelResult.Delivered);
        await sender.Answer("c", ChannelResult.Delivered);
        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Pending, DeliveryStatus.Pending], Statuses(first));
        writes.Release();
        var second = await writes.Next();
        writes.Release();
        await round;

        Assert.All(Statuses(second), s => Assert.Equal(DeliveryStatus.Delivered, s));
        Assert.Equal(2, writes.Count);
    }

    [Fact]
    public async Task A_crash_after_the_first_write_keeps_its_result_and_the_next_round_sends_only_the_rest()
    {
        var outbox = Outbox("quick", "slow");

        var round = Round(outbox);
        await sender.Answer("quick", ChannelResult.Delivered);
        var stored = await writes.Next();

        // The process dies with "slow" on the wire; the round never ends. A new activation loads what was stored.
        Assert.False(round.IsCompleted);
        var again = new BarrierSender();
        var restarted = Round(stored, again);
        await again.Answer("slow", ChannelResult.Delivered);
        var after = await writes.Next();
        await restarted;

        Assert.Equal(["slow"], again.Sent);
        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Delivered], Statuses(after));
        Assert.Equal([1, 1], after.Deliveries.Select(d => d.Attempts));
    }

    [Fact]
    public async Task A_target_found_gone_is_handed_to_the_write_that_records_it()
    {
        var outbox = Outbox("gone", "hanging");
        outbox.Add("n2", ChannelNames.Webhook, "gone", "t", "x", time.GetUtcNow(), time.GetUtcNow());

        var round = Round(outbox);
        await sender.Answer("gone", new ChannelResult(ChannelOutcome.Gone, "410"));
        var stored = await writes.Next();

        Assert.Equal(["gone"], writes.Gone[0]);
        Assert.Equal(
            [DeliveryStatus.TargetGone, DeliveryStatus.Pending, DeliveryStatus.TargetGone],
            Statuses(stored));
        await sender.Answer("hanging", ChannelResult.Delivered);
        await writes.Next();
        await round;
        Assert.Empty(writes.Gone[1]);
    }

    [Fact]
    public async Task A_round_with_nothing_due_writes_nothing_and_a_failed_write_ends_the_round()
    {
        var empty = new DeliveryOutbox();
        await Round(empty);
        Assert.Equal(0, writes.Count);

        var outbox = Outbox("a", "b");
        writes.FailNext();
        var round = Round(outbox);
        await sender.Answer("a", ChannelResult.Delivered);

        await Assert.ThrowsAsync<InvalidOperationException>(() => round);
        Assert.Equal(0, writes.Count);
    }

    public void Dispose() => services.Dispose();

    private DeliveryOutbox Outbox(params string[] targets)
    {
        var outbox = new DeliveryOutbox();
        foreach (var target in targets)
        {
            outbox.Add("n1", ChannelNames.Webhook, target, "t", "x", time.GetUtcNow(), time.GetUtcNow());
        }

        return outbox;
    }

    /// <summary>
    /// Starts a round off the test's synchronization context, so that an answer runs the round on
    /// inline up to its next wait: when <see cref="BarrierSender.Answer"/> completes, what that
    /// answer makes the round do (record, write) is done.
    /// </summary>
    private Task Round(DeliveryOutbox outbox, BarrierSender? through = null) =>
        Task.Run(() => new OutboxDispatcher([through ?? sender], NullLogger<OutboxDispatcher>.Instance).Round(
            outbox, d => new ChannelTarget(d.Channel, d.TargetId, []), policy, time, gone => writes.Store(outbox, gone), CancellationToken.None));

    private static DeliveryStatus[] Statuses(DeliveryOutbox outbox) => [.. outbox.Deliveries.Select(d => d.Status)];

    /// <summary>A channel whose every target answers when the test says, and records what it was sent.</summary>
    private sealed class BarrierSender : IChannelSender
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<ChannelResult>> answers = new();

        public string Channel => ChannelNames.Webhook;

        public List<string> Sent { get; } = [];

        public Task<ChannelResult> SendAsync(ChannelTarget target, ChannelMessage message, CancellationToken cancellationToken)
        {
            lock (Sent)
            {
                Sent.Add(target.Address);
            }

            return Of(target.Address).Task;
        }

        /// <summary>Answers on a thread without a synchronization context, where the round's continuations run inline.</summary>
        public Task Answer(string target, ChannelResult result) => Task.Run(() => Of(target).SetResult(result));

        private TaskCompletionSource<ChannelResult> Of(string target) => answers.GetOrAdd(target, _ => new TaskCompletionSource<ChannelResult>());
    }

    /// <summary>
    /// The owner's state writes: each a serialized copy of the outbox, read back in order with
    /// <see cref="Next"/>. Held writes stay on their way until <see cref="Release"/>.
    /// </summary>
    private sealed class Writes(Serializer serializer)
    {
        private readonly Channel<DeliveryOutbox> stored = Channel.CreateUnbounded<DeliveryOutbox>();
        private readonly Channel<bool> releases = Channel.CreateUnbounded<bool>();
        private bool held;
        private bool failNext;
        private int inFlight;

        public int Count { get; private set; }

        public List<string[]> Gone { get; } = [];

        public void Hold() => held = true;

        public void Release() => releases.Writer.TryWrite(true);

        public void FailNext() => failNext = true;

        public async Task Store(DeliveryOutbox outbox, ImmutableArray<string> gone)
        {
            Assert.Equal(1, Interlocked.Increment(ref inFlight));
            try
            {
                if (failNext)
                {
                    throw new InvalidOperationException("The storage is gone.");
                }

                var copy = serializer.Deserialize<DeliveryOutbox>(serializer.SerializeToArray(outbox))!;
                Count++;
                Gone.Add([.. gone]);
                stored.Writer.TryWrite(copy);
                if (held)
                {
                    await releases.Reader.ReadAsync();
                }
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }

        public async Task<DeliveryOutbox> Next()
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await stored.Reader.ReadAsync(patience.Token);
        }
    }
}
