namespace Dispatch.Places;

/// <summary>Walks the place hierarchy through the place grains; shared by the web host and the grains' use cases.</summary>
public static class PlaceTree
{
    /// <summary>
    /// The ids of the communities at or below <paramref name="place"/>. Each place is read fresh
    /// (not from a cache), because children are added over time.
    /// </summary>
    public static async Task<List<string>> CommunitiesUnder(this IGrainFactory grains, PlaceInfo place)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(place);
        var communities = new List<string>();
        var pending = new Queue<PlaceInfo>([await grains.GetGrain<IPlaceGrain>(Common.GrainKeys.Place(place.Id)).Get() ?? place]);
        while (pending.TryDequeue(out var next))
        {
            if (next.Kind == PlaceKind.Community)
            {
                communities.Add(next.Id);
                continue;
            }

            if (next.Kind > PlaceKind.Community)
            {
                continue;
            }

            var children = await Task.WhenAll(next.Children.Select(c => grains.GetGrain<IPlaceGrain>(Common.GrainKeys.Place(c)).Get()));
            foreach (var child in children.OfType<PlaceInfo>())
            {
                pending.Enqueue(child);
            }
        }

        return communities;
    }

    /// <summary>The ids of <paramref name="place"/> and every place below it, each read fresh.</summary>
    public static async Task<List<string>> PlacesUnder(this IGrainFactory grains, PlaceInfo place)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(place);
        var places = new List<string>();
        var pending = new Queue<PlaceInfo>([await grains.GetGrain<IPlaceGrain>(Common.GrainKeys.Place(place.Id)).Get() ?? place]);
        while (pending.TryDequeue(out var next))
        {
            places.Add(next.Id);
            var children = await Task.WhenAll(next.Children.Select(c => grains.GetGrain<IPlaceGrain>(Common.GrainKeys.Place(c)).Get()));
            foreach (var child in children.OfType<PlaceInfo>())
            {
                pending.Enqueue(child);
            }
        }

        return places;
    }
}
