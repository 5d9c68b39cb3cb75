using Dispatch.Common;

namespace Dispatch.Open311;

/// <summary>
/// Files a GeoReport request for an API key, as one use case: the community it lands in, the
/// record of it as filed through Open311 there, the request itself, and the tracking link its
/// resident follows. Holds nothing: each write is made by the grain that owns the data.
/// </summary>
public interface IOpen311FilingGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The community is the jurisdiction itself when it is one, otherwise the located community
    /// below it nearest to <see cref="NewOpen311Request.Point"/>; refused (invalid, naming <c>lat</c>)
    /// when there is no point or no located community. The filing is recorded before the request
    /// is created, so a crash in between leaves an id that listings skip, never a request no
    /// listing finds.
    /// </summary>
    Task<Outcome<Open311Filed>> File(NewOpen311Request filing);
}
