using Dispatch.Notifications;
using Dispatch.Notifications.Channels;

namespace Dispatch.UnitTests.Notifications;

public sealed class NotificationsOutboxTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private static readonly ChannelResult Down = new(ChannelOutcome.RetryLater, "The endpoint answered 503.");

    private readonly DeliveryPolicy policy = new();

    [Fact]
    public void A_notice_goes_once_to_each_target_however_often_it_is_added()
    {
        var outbox = new DeliveryOutbox();

        Assert.True(outbox.Add("n1", ChannelNames.Webhook, "w1", "t", "x", Start, Start));
        Assert.False(outbox.Add("n1", ChannelNames.Webhook, "w1", "t", "x", Start, Start));
        Assert.True(outbox.Add("n1", ChannelNames.Email, "email:a@example.org", "t", "x", Start, Start));

        Assert.Equal(2, outbox.Due(Start).Length);
    }

    [Fact]
    public void Failures_back_off_exponentially_with_jitter_and_a_retry_after_is_honoured()
    {
        var outbox = new DeliveryOutbox();
        outbox.Add("n1", ChannelNames.Webhook, "w1", "t", "x", Start, Start);
        var now = Start;
        var waits = new List<TimeSpan>();
        for (var failure = 0; failure < 4; failure++)
        {
            outbox.Record(outbox.Due(now).Single().Id, Down, now, policy, random: 0.5);
            var next = outbox.NextDue!.Value;
            waits.Add(next - now);
            Assert.Empty(outbox.Due(next - TimeSpan.FromSeconds(1)));
            now = next;
        }

        Assert.Equal([30, 60, 120, 240], waits.Select(w => (int)w.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(24), policy.DelayAfter(1, 0.0));
        Assert.True(policy.DelayAfter(1, 0.999) < TimeSpan.FromSeconds(36.01));
        Assert.InRange(policy.DelayAfter(40, 1.0).TotalHours, 7.19, 7.21);

        outbox.Record(outbox.Due(now).Single().Id, Down with { RetryAfter = TimeSpan.FromHours(1) }, now, policy, 0.5);
        Assert.Equal(now + TimeSpan.FromHours(1), outbox.NextDue);
    }

    [Fact]
    public void A_target_that_is_down_delays_only_itself()
    {
        var outbox = new DeliveryOutbox();
        outbox.Add("n1", ChannelNames.Webhook, "down", "t", "x", Start, Start);
        outbox.Add("n2", ChannelNames.Webhook, "down", "t", "x", Start, Start);
        outbox.Add("n1", ChannelNames.Webhook, "up", "t", "x", Start, Start);
        outbox.Add("n2", ChannelNames.Webhook, "up", "t", "x", Start, Start);

        var first = outbox.Due(Start);
        Assert.Equal(["down", "up"], first.Select(d => d.TargetId));
        outbox.Record(first[0].Id, Down, Start, policy, 0.5);
        outbox.Record(first[1].Id, ChannelResult.Delivered, Start, policy, 0.5);

        var second = outbox.Due(Start);
        var next = Assert.Single(second);
        Assert.Equal(("up", "n2"), (next.TargetId, next.Key));
    }

    [Fact]
    public void Retries_stop_after_the_channels_give_up_time()
    {
        var outbox = new DeliveryOutbox();
        outbox.Add("hook", ChannelNames.Webhook, "w1", "t", "x", Start, Start);
        outbox.Add("mail", ChannelNames.Email, "email:a@example.org", "t", "x", Start, Start);
        var late = Start + TimeSpan.FromDays(1);

        foreach (var delivery in outbox.Due(late))
        {
            outbox.Record(delivery.Id, Down, late, policy, 0.5);
        }

        Assert.Equal(DeliveryStatus.Pending, outbox.Deliveries.Single(d => d.Key == "hook").Status);
        var mail = outbox.Deliveries.Single(d => d.Key == "mail");
        Assert.Equal(DeliveryStatus.GaveUp, mail.Status);
        Assert.Contains("Given up after 1 attempts", mail.Detail, StringComparison.Ordinal);

        var later = Start + TimeSpan.FromDays(3);
        outbox.Record(outbox.Due(later).Single().Id, Down, later, policy, 0.5);
        Assert.Equal(DeliveryStatus.GaveUp, outbox.Deliveries.Single(d => d.Key == "hook").Status);
        Assert.Null(outbox.NextDue);
    }

    [Fact]
    public void A_gone_target_takes_its_waiting_deliveries_with_it_and_a_replay_sends_again()
    {
        var outbox = new DeliveryOutbox();
        outbox.Add("n1", ChannelNames.Webhook, "w1", "t", "x", Start, Start);
        outbox.Add("n2", ChannelNames.Webhook, "w1", "t", "x", Start, Start);

        var gone = outbox.Record(outbox.Due(Start).Single().Id, new ChannelResult(ChannelOutcome.Gone, "410"), Start, policy, 0.5);

        Assert.Equal("w1", gone);
        Assert.All(outbox.Deliveries, d => Assert.Equal(DeliveryStatus.TargetGone, d.Status));
        Assert.Null(outbox.NextDue);

        var replayed = outbox.Replay(outbox.Deliveries[0].Id, Start.AddHours(1));
        Assert.Equal((DeliveryStatus.Pending, "n1"), (replayed!.Status, replayed.Key));
        Assert.Null(outbox.Replay(replayed.Id, Start.AddHours(1)));
        Assert.Equal(Start.AddHours(1), outbox.NextDue);
    }

    [Fact]
    public void The_log_keeps_the_latest_finished_deliveries_and_every_waiting_one()
    {
        var outbox = new DeliveryOutbox();
        for (var i = 0; i < 15; i++)
        {
            outbox.Add($"n{i}", ChannelNames.Webhook, $"w{i}", "t", "x", Start, Start);
        }

        foreach (var delivery in outbox.Due(Start).Take(12))
        {
            outbox.Record(delivery.Id, ChannelResult.Delivered, Start.AddSeconds(delivery.Id), policy, 0.5);
        }

        Assert.True(outbox.Prune(capacity: 10));
        Assert.Equal(13, outbox.Deliveries.Length);
        Assert.Equal(3, outbox.Deliveries.Count(d => d.Status == DeliveryStatus.Pending));
        Assert.DoesNotContain(outbox.Deliveries, d => d.Key is "n0" or "n1");
    }
}
