using System.Collections.Immutable;

namespace Dispatch.Places;

/// <summary>
/// The top of the place hierarchy, keyed by <see cref="Common.GrainKeys.PlaceDirectory"/>: the
/// regions, which have no parent to list them. Every other place is listed by its parent.
/// </summary>
public interface IPlaceDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Called by a region once it is stored (and again by a retry of its creation); idempotent.</summary>
    Task AddRegion(string regionId);

    /// <summary>The ids of the regions, in the order they were created.</summary>
    Task<ImmutableArray<string>> GetRegions();
}
