using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Dispatch.Requests;

namespace Dispatch.UnitTests.Telemetry;

/// <summary>The Dispatch meter: instrument names, and tags from fixed sets only.</summary>
public sealed class DispatchMetricsTests : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, string Tags)> measurements = new();

    public DispatchMetricsTests()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DispatchMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    public void Dispose() => listener.Dispose();

    [Fact]
    public void Claims_are_counted_by_outcome_and_by_the_reason_the_api_gives()
    {
        DispatchMetrics.ClaimWon();
        foreach (var loss in Enum.GetValues<ClaimLoss>())
        {
            DispatchMetrics.ClaimLost(loss);
        }

        Assert.Contains(("dispatch.claims", 1.0, "outcome=won"), measurements);
        foreach (var reason in new[] { "full", "notOpen", "alreadyClaimed", "claimLimit", "outsideCommunity", "reserved", "notEnoughPlaces", "notFound" })
        {
            Assert.Contains(("dispatch.claims", 1.0, $"outcome=lost,reason={reason}"), measurements);
        }
    }

    [Fact]
    public void Offers_come_from_the_history_a_change_appended_and_only_offer_events_count()
    {
        var at = DateTimeOffset.UnixEpoch;
        HistoryEntry Entry(RequestAction action) => new(1, at, "staff", action, RequestStatus.Open, RequestStatus.Open, null);

        DispatchMetrics.Appended([
            Entry(RequestAction.Offered), Entry(RequestAction.OfferDeclined), Entry(RequestAction.Offered),
            Entry(RequestAction.OfferLapsed), Entry(RequestAction.Offered), Entry(RequestAction.OfferAccepted),
            Entry(RequestAction.Claimed), Entry(RequestAction.Escalated)]);
        DispatchMetrics.Offer("not-an-outcome");

        var offers = measurements.Where(m => m.Instrument == "dispatch.offers").Select(m => m.Tags).ToList();
        Assert.Equal(3, offers.Count(t => t == "outcome=offered"));
        Assert.Single(offers, "outcome=declined");
        Assert.Single(offers, "outcome=lapsed");
        Assert.Single(offers, "outcome=accepted");
        Assert.DoesNotContain(offers, t => t.Contains("not-an-outcome", StringComparison.Ordinal));
    }

    [Fact]
    public void Redemptions_escalations_consoles_and_lag_keep_their_values_bounded()
    {
        DispatchMetrics.Redemption("pending");
        DispatchMetrics.Redemption("insufficientPoints");
        DispatchMetrics.Redemption("Xiao Ming's phone"); // never a tag: counted as other
        DispatchMetrics.Escalated(2);
        DispatchMetrics.ConsoleWatching(+1);
        DispatchMetrics.ConsoleWatching(-1);
        DispatchMetrics.FanoutLag(TimeSpan.FromMilliseconds(12.5));
        DispatchMetrics.FanoutLag(TimeSpan.FromMilliseconds(-3)); // another host's clock ahead: 0, not negative

        Assert.Contains(("dispatch.redemptions", 1.0, "outcome=pending"), measurements);
        Assert.Contains(("dispatch.redemptions", 1.0, "outcome=insufficientPoints"), measurements);
        Assert.Contains(("dispatch.redemptions", 1.0, "outcome=other"), measurements);
        Assert.DoesNotContain(measurements, m => m.Tags.Contains("Xiao", StringComparison.Ordinal));
        Assert.Contains(("dispatch.escalations", 1.0, "level=2"), measurements);
        Assert.Contains(("dispatch.consoles.active", 1.0, ""), measurements);
        Assert.Contains(("dispatch.consoles.active", -1.0, ""), measurements);
        Assert.Contains(("dispatch.fanout.lag", 12.5, ""), measurements);
        Assert.Contains(("dispatch.fanout.lag", 0.0, ""), measurements);
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct, IConvertible
    {
        var text = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
        measurements.Enqueue((instrument.Name, value.ToDouble(System.Globalization.CultureInfo.InvariantCulture), text));
    }
}
