namespace Dispatch.Open311;

/// <summary>Which community a request at a point belongs to, when its jurisdiction is a town or above.</summary>
public static class Open311Geo
{
    private const double EarthRadiusKm = 6371.0088;

    /// <summary>The great-circle (haversine) distance in kilometres.</summary>
    public static double DistanceKm(GeoPoint a, GeoPoint b)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(b.Latitude - a.Latitude);
        var dLong = Radians(b.Longitude - a.Longitude);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(Radians(a.Latitude)) * Math.Cos(Radians(b.Latitude)) * Math.Sin(dLong / 2) * Math.Sin(dLong / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>The id of the nearest candidate (the smaller id on a tie, so the answer never depends on order), or null when there is none.</summary>
    public static string? Nearest(GeoPoint point, IEnumerable<(string Id, GeoPoint At)> candidates) =>
        candidates
            .Select(c => (c.Id, Distance: DistanceKm(point, c.At)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => c.Id)
            .FirstOrDefault();
}
