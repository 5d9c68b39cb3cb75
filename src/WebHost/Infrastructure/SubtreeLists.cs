using System.Collections.Immutable;
using Dispatch.Places;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>
/// One page of what each community under a place lists of its own (report-ins, residents'
/// filings): every community's lines together, newest first, then the page's items read in full.
/// </summary>
public static class SubtreeLists
{
    /// <summary>The <paramref name="page"/> of items, and how many lines there are in all.</summary>
    public static async Task<(ImmutableArray<TItem> Items, int Total)> Page<TLine, TItem>(
        PlaceInfo place,
        PlaceLookup places,
        Func<string, Task<ImmutableArray<TLine>>> linesOf,
        Func<TLine, DateTimeOffset> submittedAt,
        Func<TLine, string> id,
        Func<string, Task<TItem?>> itemOf,
        PageRequest page)
        where TItem : class
    {
        var communities = place.Kind == PlaceKind.Community ? [place.Id] : await places.CommunitiesUnder(place);
        var lines = (await Task.WhenAll(communities.Select(linesOf)))
            .SelectMany(l => l)
            .OrderByDescending(submittedAt)
            .ThenBy(id, StringComparer.Ordinal)
            .ToList();
        var shown = await Task.WhenAll(page.Of(lines).Select(line => itemOf(id(line))));
        return ([.. shown.OfType<TItem>()], lines.Count);
    }
}
