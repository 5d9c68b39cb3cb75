using System.Collections.Immutable;

namespace Dispatch.Open311;

/// <summary>
/// The ids of every Open311 key issued, keyed by <see cref="Open311GrainKeys.KeyDirectory"/>, so
/// that admins can list them. An id is linked before its key is stored: an id whose key was never
/// stored (a creation that failed after the link) is skipped by the list.
/// </summary>
public interface IOpen311KeyDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Links a key's id (again: no change); stored before it returns.</summary>
    Task Link(Guid keyId);

    /// <summary>The ids linked, oldest first.</summary>
    Task<ImmutableArray<Guid>> List();
}
