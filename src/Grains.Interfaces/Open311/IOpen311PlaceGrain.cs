using System.Collections.Immutable;

namespace Dispatch.Open311;

/// <summary>
/// What Open311 needs to know about one place, keyed by <see cref="Open311GrainKeys.Place"/>: its
/// location (communities, to route by <c>lat</c>/<c>long</c>), the services it offers when an admin
/// configured them, and the requests filed through Open311 that landed in it (communities).
/// </summary>
public interface IOpen311PlaceGrain : IGrainWithStringKey
{
    Task<GeoPoint?> GetLocation();

    /// <summary>Sets (or, with null, clears) the place's location; stored before it returns.</summary>
    Task SetLocation(GeoPoint? location);

    /// <summary>The services configured here, or null when none are (the place above decides, or the defaults).</summary>
    Task<ImmutableArray<Open311Service>?> GetServices();

    /// <summary>Configures the services offered here and below (null: back to inheriting); stored before it returns.</summary>
    Task SetServices(ImmutableArray<Open311Service>? services);

    /// <summary>Records a request filed here; idempotent by id, stored before it returns.</summary>
    Task File(FiledRequest filed);

    /// <summary>The record of a request filed here, or null.</summary>
    Task<FiledRequest?> Find(Guid requestId);

    /// <summary>Every request filed here, oldest first.</summary>
    Task<ImmutableArray<FiledRequest>> GetFiled();
}
