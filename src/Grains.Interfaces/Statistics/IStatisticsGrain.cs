using System.Collections.Immutable;
using Dispatch.Places;
using Dispatch.Points;

namespace Dispatch.Statistics;

/// <summary>
/// Rolls a place's figures and leaderboard up from its communities. A stateless worker: call it
/// with key <see cref="Key"/>; it reads the place and community grains and keeps nothing.
/// </summary>
[Alias("Dispatch.Statistics.IStatisticsGrain")]
public interface IStatisticsGrain : IGrainWithIntegerKey
{
    /// <summary>The one key the callers use (any key would do: every activation is alike).</summary>
    const long Key = 0;

    /// <summary>The figures of <paramref name="place"/>, summed up from the communities at or below it.</summary>
    [Alias("GetStatistics")]
    Task<PlaceStatistics> GetStatistics(PlaceInfo place);

    /// <summary>The volunteers at or below <paramref name="place"/> who earned the most points, at most <paramref name="top"/>.</summary>
    [Alias("GetLeaderboard")]
    Task<ImmutableArray<PointsTotals>> GetLeaderboard(PlaceInfo place, int top);
}
