using System.Collections.Immutable;
using Dispatch.Notifications.Channels;
using Microsoft.Extensions.Logging;

namespace Dispatch.Notifications;

/// <summary>
/// Makes one round of attempts for an outbox: each due delivery goes to the <see cref="IChannelSender"/>
/// of its channel, all at once (one per target), and each result is recorded in the outbox and
/// stored as soon as it arrives, so a crash repeats only what was still on the wire. A sender that
/// throws or a channel without a sender counts as "try again later"; a target that no longer exists
/// refuses the delivery.
/// </summary>
public sealed partial class OutboxDispatcher(IEnumerable<IChannelSender> senders, ILogger<OutboxDispatcher> logger)
{
    private readonly Dictionary<string, IChannelSender> byChannel =
        senders.GroupBy(s => s.Channel, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    /// <summary>
    /// Sends the due deliveries and, whenever some have answered, records their results and awaits
    /// <paramref name="store"/>, which writes the owner's state; it gets the targets the channels
    /// said are gone, to disable in that write. One store at a time: results that arrive while one
    /// runs go into the next. The outbox is changed only between stores, never while one runs.
    /// </summary>
    public async Task Round(
        DeliveryOutbox outbox,
        Func<Delivery, ChannelTarget?> targetOf,
        DeliveryPolicy policy,
        TimeProvider time,
        Func<ImmutableArray<string>, Task> store,
        CancellationToken cancellationToken)
    {
        var waiting = outbox.Due(time.GetUtcNow())
            .Select(async d => (d.Id, Result: await Attempt(d, targetOf(d), cancellationToken)))
            .ToList();
        while (waiting.Count > 0)
        {
            await Task.WhenAny(waiting);
            var gone = ImmutableArray.CreateBuilder<string>();
            foreach (var answered in waiting.Where(a => a.IsCompleted).ToList())
            {
                waiting.Remove(answered);
                var (id, result) = await answered;
                if (outbox.Record(id, result, time.GetUtcNow(), policy, Random.Shared.NextDouble()) is { } target)
                {
                    gone.Add(target);
                }
            }

            await store(gone.ToImmutable());
        }
    }

    private async Task<ChannelResult> Attempt(Delivery delivery, ChannelTarget? target, CancellationToken cancellationToken)
    {
        if (target is null)
        {
            return new ChannelResult(ChannelOutcome.Rejected, "The target was removed.");
        }

        if (!byChannel.TryGetValue(delivery.Channel, out var sender))
        {
            return new ChannelResult(ChannelOutcome.RetryLater, $"No sender for '{delivery.Channel}' is running.");
        }

        try
        {
            return await sender.SendAsync(target, new ChannelMessage(delivery.Key, delivery.Title, delivery.Text, delivery.At), cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogSenderFailed(exception, delivery.Channel, delivery.Id);
            return new ChannelResult(ChannelOutcome.RetryLater, $"The {delivery.Channel} sender failed ({exception.GetType().Name}).");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Channel} sender threw on delivery {DeliveryId}; it is tried again later")]
    private partial void LogSenderFailed(Exception exception, string channel, long deliveryId);
}
