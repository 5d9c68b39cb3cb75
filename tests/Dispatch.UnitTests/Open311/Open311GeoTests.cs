using Dispatch.Open311;

namespace Dispatch.UnitTests.Open311;

/// <summary>Routing by lat/long: the nearest community with a location.</summary>
public sealed class Open311GeoTests
{
    private static readonly GeoPoint Hailar = new(49.2116, 119.7656);
    private static readonly GeoPoint Nierji = new(48.4833, 124.5167);
    private static readonly GeoPoint Arong = new(48.1258, 123.4596);

    [Fact]
    public void Distances_are_great_circle_kilometres()
    {
        Assert.Equal(0, Open311Geo.DistanceKm(Hailar, Hailar), precision: 6);
        Assert.InRange(Open311Geo.DistanceKm(new GeoPoint(0, 0), new GeoPoint(0, 1)), 111.1, 111.3);
        Assert.Equal(Open311Geo.DistanceKm(Hailar, Nierji), Open311Geo.DistanceKm(Nierji, Hailar), precision: 9);
    }

    [Fact]
    public void The_nearest_community_wins_and_a_tie_goes_to_the_smaller_id()
    {
        var communities = new[] { ("hailar", Hailar), ("nierji", Nierji), ("arong", Arong) };

        Assert.Equal("arong", Open311Geo.Nearest(new GeoPoint(48.2, 123.5), communities));
        Assert.Equal("nierji", Open311Geo.Nearest(new GeoPoint(48.5, 124.4), communities));
        Assert.Equal("a", Open311Geo.Nearest(Hailar, [("b", Hailar), ("a", Hailar)]));
        Assert.Null(Open311Geo.Nearest(Hailar, []));
    }
}
