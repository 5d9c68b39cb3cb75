using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Threading.Channels;
using Dispatch.Common;
using Dispatch.Consoles;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.WebHost.Consoles;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// The host's fan-out, driven directly with events, writing to hub connections whose far end the
/// test reads (or leaves unread, to play a console that does not keep up): the exact bytes each
/// console gets, their order, and the per-console bound.
/// </summary>
public sealed class ConsoleFanoutTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private static readonly PlaceCounters Counters = new(1, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0);

    private ConsoleFanout Fanout => fixture.App.Services.GetRequiredService<ConsoleFanout>();

    private IHubProtocol Protocol => fixture.App.Services.GetRequiredService<IHubProtocolResolver>().GetProtocol("json", null)!;

    [Fact]
    public async Task Every_console_gets_the_same_bytes_the_hub_clients_api_would_send()
    {
        var (placeId, request) = await NewCommunityWithRequest("bytes");
        await using var first = await Console(readAtOnce: true);
        await using var second = await Console(readAtOnce: true);
        await Fanout.Watch(first.Id, placeId);
        await Fanout.Watch(second.Id, placeId);

        var changed = new ConsoleEvent(placeId, 1, DateTimeOffset.UtcNow, request, Counters);
        var escalated = new ConsoleEvent(placeId, 2, DateTimeOffset.UtcNow, request with { LastAction = RequestAction.Escalated }, Counters with { Open = 2 });
        await Fanout.OnEvent(changed);
        await Fanout.OnEvent(escalated);

        // What Clients.Client(id).SendAsync(method, payload) wrote before, byte for byte.
        byte[][] expected =
        [
            Bytes("requestChanged", changed),
            Bytes("countersChanged", new { placeId, seq = 1L, counters = changed.Counters }),
            Bytes("requestChanged", escalated),
            Bytes("alertRaised", escalated),
            Bytes("countersChanged", new { placeId, seq = 2L, counters = escalated.Counters }),
        ];
        var received = new List<List<byte[]>>();
        foreach (var console in new[] { first, second })
        {
            var frames = await console.Next(expected.Length);
            Assert.Equal(expected.Length, frames.Count);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], frames[i]);
            }

            received.Add(frames);
        }

        // The field names are the public contract: pin them, not just the equality with the serializer.
        Assert.Equal<string>(["placeId", "seq", "at", "request", "counters", "isAlert"], Arguments(received[0][0]).EnumerateObject().Select(p => p.Name));
        Assert.Equal<string>(["placeId", "seq", "counters"], Arguments(received[0][1]).EnumerateObject().Select(p => p.Name));
        Assert.Equal(placeId, Arguments(received[0][0]).GetProperty("placeId").GetString());
        Assert.True(Arguments(received[1][3]).GetProperty("isAlert").GetBoolean());
    }

    [Fact]
    public async Task Counters_are_sent_only_when_they_changed_for_that_console()
    {
        var (placeId, request) = await NewCommunityWithRequest("counters");
        await using var console = await Console(readAtOnce: true);
        await Fanout.Watch(console.Id, placeId);

        await Fanout.OnEvent(new ConsoleEvent(placeId, 1, DateTimeOffset.UtcNow, request, Counters));
        await Fanout.OnEvent(new ConsoleEvent(placeId, 2, DateTimeOffset.UtcNow, request, Counters));
        await Fanout.OnEvent(new ConsoleEvent(placeId, 3, DateTimeOffset.UtcNow, request, Counters with { Claimed = 1 }));

        var targets = (await console.Next(5)).Select(Target);
        Assert.Equal<string>(["requestChanged", "countersChanged", "requestChanged", "requestChanged", "countersChanged"], targets);
    }

    [Fact]
    public async Task A_burst_of_changes_sends_every_change_and_coalesces_the_counters_ending_with_the_latest()
    {
        var (placeId, request) = await NewCommunityWithRequest("burst");
        await using var console = await Console(readAtOnce: true);
        await Fanout.Watch(console.Id, placeId);

        const int events = 50;
        for (var seq = 1; seq <= events; seq++)
        {
            await Fanout.OnEvent(new ConsoleEvent(placeId, seq, DateTimeOffset.UtcNow, request, Counters with { Claimed = seq }));
        }

        // Every change arrives, in order; the counters come far fewer times, the last with the latest figures.
        var frames = await console.Until(f => Target(f) == "countersChanged" && Arguments(f).GetProperty("seq").GetInt64() == events);
        Assert.Equal(Enumerable.Range(1, events).Select(i => (long)i), Changes(frames, placeId));
        var counters = frames.Where(f => Target(f) == "countersChanged").Select(Arguments).ToList();
        Assert.InRange(counters.Count, 2, events / 2);
        Assert.Equal(events, counters[^1].GetProperty("counters").GetProperty("claimed").GetInt32());
        Assert.Equal(counters.Select(c => c.GetProperty("seq").GetInt64()).Order(), counters.Select(c => c.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task A_console_that_does_not_keep_up_is_told_to_resync_while_the_others_get_every_event_in_order()
    {
        var (placeId, request) = await NewCommunityWithRequest("slow");
        var (otherPlaceId, otherRequest) = await NewCommunityWithRequest("slow-other");
        var fast = new List<FakeConsole>();
        for (var i = 0; i < 3; i++)
        {
            var console = await Console(readAtOnce: true);
            await Fanout.Watch(console.Id, placeId);
            fast.Add(console);
        }

        // Its far end reads nothing yet: the first write waits, the rest fill its outbox.
        await using var slow = await Console(readAtOnce: false);
        await Fanout.Watch(slow.Id, placeId);
        await Fanout.Watch(slow.Id, otherPlaceId);

        const int events = ConsoleFanout.OutboxCapacity + 20;
        for (var seq = 1; seq <= events; seq++)
        {
            await Fanout.OnEvent(new ConsoleEvent(placeId, seq, DateTimeOffset.UtcNow, request, Counters));
        }

        foreach (var console in fast)
        {
            var received = Changes(await console.Next(events + 1), placeId);
            Assert.Equal(Enumerable.Range(1, events).Select(i => (long)i), received);
            await console.DisposeAsync();
        }

        // The slow console got the write in flight, was told to resync, and nothing more for the
        // place: a change to its other place, sent after the rest, is the next thing it gets.
        slow.StartReading();
        await Fanout.OnEvent(new ConsoleEvent(placeId, events + 1, DateTimeOffset.UtcNow, request, Counters));
        await Fanout.OnEvent(new ConsoleEvent(otherPlaceId, 1, DateTimeOffset.UtcNow, otherRequest, Counters));
        var seen = await slow.Until(f => Target(f) == "requestChanged" && Arguments(f).GetProperty("placeId").GetString() == otherPlaceId);
        Assert.Equal<long>([1L], Changes(seen, placeId));
        var resync = Arguments(Assert.Single(seen, f => Target(f) == "resync"));
        Assert.Equal<string>(["placeId"], resync.EnumerateObject().Select(p => p.Name));
        Assert.Equal(placeId, resync.GetProperty("placeId").GetString());
        Assert.Equal(Bytes("resync", new { placeId }), seen.Single(f => Target(f) == "resync"));

        // Once it resumes, the place's events reach it again.
        await Fanout.Watch(slow.Id, placeId);
        await Fanout.OnEvent(new ConsoleEvent(placeId, events + 2, DateTimeOffset.UtcNow, request, Counters));
        Assert.Equal<long>([events + 2L], Changes(await slow.Next(2), placeId));
    }

    private static string Target(byte[] frame) => JsonDocument.Parse(frame).RootElement.GetProperty("target").GetString()!;

    private static JsonElement Arguments(byte[] frame) => JsonDocument.Parse(frame).RootElement.GetProperty("arguments")[0].Clone();

    private static List<long> Changes(IEnumerable<byte[]> frames, string placeId) =>
        frames.Where(f => Target(f) == "requestChanged")
            .Select(Arguments)
            .Where(a => a.GetProperty("placeId").GetString() == placeId)
            .Select(a => a.GetProperty("seq").GetInt64())
            .ToList();

    /// <summary>One frame as the JSON protocol writes it, without its record separator.</summary>
    private byte[] Bytes(string method, object payload)
    {
        var bytes = Protocol.GetMessageBytes(new InvocationMessage(method, [payload])).ToArray();
        return bytes[..^1];
    }

    private async Task<(string PlaceId, RequestSummary Request)> NewCommunityWithRequest(string name)
    {
        var placeId = $"m1-{name}";
        using var admin = await fixture.App.Admin();
        await admin.CreatePlace(placeId, "community", "t1");
        await admin.CreateRequest(placeId, title: $"Fan-out {name}");
        var feed = fixture.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IPlaceFeedGrain>(GrainKeys.Feed(placeId));
        var snapshot = await Eventually.Get(feed.Snapshot, s => s.Requests.Length == 1);
        return (placeId, Assert.Single(snapshot.Requests));
    }

    private async Task<FakeConsole> Console(bool readAtOnce)
    {
        var connections = fixture.App.Services.GetRequiredService<ConsoleConnections>();
        var console = new FakeConsole(Protocol, readAtOnce, Fanout, connections);
        await connections.OnConnectedAsync(console.Connection);
        return console;
    }

    /// <summary>A hub connection without a network: the test reads what the host writes to it.</summary>
    private sealed class FakeConsole : IAsyncDisposable
    {
        private readonly Pipe toConsole;
        private readonly Pipe fromConsole = new();
        private readonly Channel<byte[]> frames = Channel.CreateUnbounded<byte[]>();
        private readonly DefaultConnectionContext context;
        private readonly ConsoleFanout fanout;
        private readonly ConsoleConnections connections;
        private Task? reading;

        public FakeConsole(IHubProtocol protocol, bool readAtOnce, ConsoleFanout fanout, ConsoleConnections connections)
        {
            this.fanout = fanout;
            this.connections = connections;
            // A console that reads nothing holds up the very first write.
            toConsole = new Pipe(readAtOnce ? PipeOptions.Default : new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1));
            context = new DefaultConnectionContext(
                Guid.NewGuid().ToString("N"),
                new Duplex(fromConsole.Reader, toConsole.Writer),
                new Duplex(toConsole.Reader, fromConsole.Writer));
            Connection = new HubConnectionContext(context, new HubConnectionContextOptions(), NullLoggerFactory.Instance) { Protocol = protocol };
            if (readAtOnce)
            {
                StartReading();
            }
        }

        public HubConnectionContext Connection { get; }

        public string Id => Connection.ConnectionId;

        public void StartReading() => reading ??= Read();

        /// <summary>The next <paramref name="count"/> frames, waiting (for a generous deadline) until they have come.</summary>
        public Task<List<byte[]>> Next(int count) => Until(_ => false, count);

        /// <summary>The frames up to and including the first that matches.</summary>
        public async Task<List<byte[]>> Until(Func<byte[], bool> last, int max = int.MaxValue)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var received = new List<byte[]>();
            try
            {
                while (received.Count < max)
                {
                    var frame = await frames.Reader.ReadAsync(deadline.Token);
                    received.Add(frame);
                    if (last(frame))
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Return what came: the caller's assertion says what was missing.
            }

            return received;
        }

        public async ValueTask DisposeAsync()
        {
            // As the hub does when a connection closes.
            await fanout.Disconnected(Id);
            await connections.OnDisconnectedAsync(Connection);
            await toConsole.Writer.CompleteAsync();
            if (reading is not null)
            {
                await reading;
            }
        }

        private async Task Read()
        {
            while (true)
            {
                var result = await toConsole.Reader.ReadAsync();
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)0x1e) is { } end)
                {
                    frames.Writer.TryWrite(buffer.Slice(0, end).ToArray());
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }

                toConsole.Reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
