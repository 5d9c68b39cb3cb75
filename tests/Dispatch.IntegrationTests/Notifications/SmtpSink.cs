using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Dispatch.IntegrationTests.Support;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Dispatch.IntegrationTests.Notifications;

/// <summary>
/// A real SMTP server on loopback (the SmtpServer package, inside the test process) that keeps
/// every message it accepts, parsed, and refuses recipients at <see cref="RefusedDomain"/> as a
/// mail server refuses an unknown mailbox (550). It can hold the next message after keeping it,
/// before answering (<see cref="StallNext"/>), as a slow server would.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public const string RefusedDomain = "nowhere.example";

    private readonly SmtpServer.SmtpServer server;
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;
    private readonly Stalls stalls = new();

    private SmtpSink(int port)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(Messages, stalls));
        services.Add(new Filter());
        server = new SmtpServer.SmtpServer(options, services);
        running = server.StartAsync(stop.Token);
    }

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    public static SmtpSink Start() => new(FreePorts.Next());

    /// <summary>Holds the next message (kept already) unanswered until <see cref="Release"/>; the task completes when it has arrived.</summary>
    public Task StallNext() => stalls.Next();

    /// <summary>Lets every held message be answered.</summary>
    public void Release() => stalls.Release();

    public async ValueTask DisposeAsync()
    {
        Release();
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // Stopping is the cancellation.
        }

        stop.Dispose();
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> messages, Stalls stalls) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            await stalls.Hold(cancellationToken);
            return SmtpResponse.Ok;
        }
    }

    private sealed class Stalls
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource? next;

        public Task Next()
        {
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref next, arrived);
            return arrived.Task;
        }

        public async Task Hold(CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref next, null) is { } arrived)
            {
                arrived.TrySetResult();
                await released.Task.WaitAsync(cancellationToken);
            }
        }

        public void Release() => released.TrySetResult();
    }

    private sealed class Filter : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!string.Equals(to.Host, RefusedDomain, StringComparison.OrdinalIgnoreCase));
    }
}
