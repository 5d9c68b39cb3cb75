namespace Dispatch.Bench.Infrastructure;

/// <summary>Latencies of one run, in milliseconds, summarised as percentiles (nearest rank over every sample).</summary>
public sealed class Latencies
{
    private readonly List<double> samples;

    public Latencies(int capacity = 1024) => samples = new List<double>(capacity);

    public int Count
    {
        get
        {
            lock (samples)
            {
                return samples.Count;
            }
        }
    }

    public void Add(TimeSpan elapsed) => Add(elapsed.TotalMilliseconds);

    public void Add(double milliseconds)
    {
        lock (samples)
        {
            samples.Add(milliseconds);
        }
    }

    public LatencySummary Summarise()
    {
        double[] sorted;
        lock (samples)
        {
            sorted = [.. samples];
        }

        Array.Sort(sorted);
        return sorted.Length == 0
            ? new LatencySummary(0, 0, 0, 0, 0)
            : new LatencySummary(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1], sorted.Average());
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}

public readonly record struct LatencySummary(int Count, double P50, double P99, double Max, double Mean);
