using System.Collections.Immutable;
using Dispatch.Notifications.Channels;
using Microsoft.Extensions.Logging;

namespace Dispatch.Notifications;

/// <summary>
/// Makes one round of attempts for an outbox: each due delivery goes to the <see cref="IChannelSender"/>
/// of its channel, all at once (one per target), and each result is recorded in the outbox. A sender
/// that throws or a channel without a sender counts as "try again later"; a target that no longer
/// exists refuses the delivery. Answers the targets the channels said are gone, to disable.
/// </summary>
public sealed partial class OutboxDispatcher(IEnumerable<IChannelSender> senders, ILogger<OutboxDispatcher> logger)
{
    private readonly Dictionary<string, IChannelSender> byChannel =
        senders.GroupBy(s => s.Channel, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    public async Task<ImmutableArray<string>> Round(
        DeliveryOutbox outbox, Func<Delivery, ChannelTarget?> targetOf, DeliveryPolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var due = outbox.Due(time.GetUtcNow());
        if (due.IsEmpty)
        {
            return [];
        }

        var results = await Task.WhenAll(due.Select(async d => (d.Id, Result: await Attempt(d, targetOf(d), cancellationToken))));
        var gone = ImmutableArray.CreateBuilder<string>();
        foreach (var (id, result) in results)
        {
            if (outbox.Record(id, result, time.GetUtcNow(), policy, Random.Shared.NextDouble()) is { } target)
            {
                gone.Add(target);
            }
        }

        return gone.ToImmutable();
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
