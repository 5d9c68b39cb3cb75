using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Open311;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Dispatch.WebHost.Open311;

/// <summary>
/// GeoReport's reads of requests, and the mySociety updates. They cover the requests filed through
/// Open311 (listed by the Open311 record of the community each landed in); requests staff
/// published are for registered volunteers and never shown here. Nothing private is shown: no
/// beneficiary contact, no address or coordinates (they locate the resident), no check-in code,
/// no names of volunteers or staff.
/// </summary>
public static class Open311Reading
{
    /// <summary>How far a listing record's time may be from its request's creation (the record is stored just before).</summary>
    private static readonly TimeSpan RecordSlack = TimeSpan.FromMinutes(1);

    private const int Batch = 100;

    public static async Task<Open311Response> GetRequest(
        string id, string format, [FromQuery(Name = "jurisdiction_id")] string? jurisdictionId, IGrainFactory grains, PlaceLookup places)
    {
        if (Open311Api.ParseFormat(format) is not { } f)
        {
            return Open311Api.UnknownFormat(format);
        }

        PlaceInfo? jurisdiction = null;
        if (!string.IsNullOrWhiteSpace(jurisdictionId))
        {
            (jurisdiction, var error) = await Open311Api.Jurisdiction(jurisdictionId, f, places);
            if (jurisdiction is null)
            {
                return error!;
            }
        }

        var found = Guid.TryParse(id, out var requestId) ? await Find(requestId, jurisdiction, grains, places) : null;
        return found is { } request
            ? Requests(f, [await Present(request.View, request.Filed, places)])
            : Open311Response.Error(f, StatusCodes.Status404NotFound, $"Service request '{id}' does not exist here.");
    }

    public static async Task<Open311Response> GetRequests(
        string format,
        [FromQuery(Name = "jurisdiction_id")] string? jurisdictionId,
        [FromQuery(Name = "service_request_id")] string? serviceRequestId,
        [FromQuery(Name = "service_code")] string? serviceCode,
        [FromQuery(Name = "start_date")] string? startDate,
        [FromQuery(Name = "end_date")] string? endDate,
        [FromQuery(Name = "status")] string? status,
        IGrainFactory grains,
        PlaceLookup places,
        TimeProvider time)
    {
        if (Open311Api.ParseFormat(format) is not { } f)
        {
            return Open311Api.UnknownFormat(format);
        }

        PlaceInfo? jurisdiction = null;
        if (!string.IsNullOrWhiteSpace(jurisdictionId) || string.IsNullOrWhiteSpace(serviceRequestId))
        {
            (jurisdiction, var error) = await Open311Api.Jurisdiction(jurisdictionId, f, places);
            if (jurisdiction is null)
            {
                return error!;
            }
        }

        // Ids override every other filter, as GeoReport says; ids that are not here are left out.
        if (!string.IsNullOrWhiteSpace(serviceRequestId))
        {
            var ids = List(serviceRequestId);
            if (ids.Length > Open311Window.MaxIds)
            {
                return Open311Response.Error(f, StatusCodes.Status400BadRequest, $"'service_request_id': at most {Open311Window.MaxIds} ids at once.");
            }

            var found = await Task.WhenAll(ids.Distinct().Select(i => Guid.TryParse(i, out var g) ? Find(g, jurisdiction, grains, places) : Task.FromResult<Found?>(null)));
            return Requests(f, await Task.WhenAll(found.OfType<Found>().Select(r => Present(r.View, r.Filed, places))));
        }

        var errors = new ValidationErrors();
        var (from, to) = Open311Window.Resolve(startDate, endDate, time.GetUtcNow(), errors);
        var statuses = List(status);
        errors.Require(statuses.All(s => s is Open311Status.Open or Open311Status.Closed), "status", "'status' must be open or closed (or both, comma-separated).");
        if (!errors.IsEmpty)
        {
            return Open311Api.Invalid(f, errors);
        }

        var codes = List(serviceCode);
        var candidates = (await Filed(jurisdiction!, grains, places))
            .Where(r => (codes.IsEmpty || codes.Contains(r.ServiceCode)) && r.At >= Open311Window.Shift(from, -RecordSlack) && r.At <= Open311Window.Shift(to, RecordSlack))
            .OrderByDescending(r => r.At)
            .ThenBy(r => r.Id)
            .ToList();

        // Newest first, read in batches until the cap is reached.
        var matched = new List<Found>();
        for (var i = 0; i < candidates.Count && matched.Count < Open311Window.MaxItems; i += Batch)
        {
            var views = await Task.WhenAll(candidates.Skip(i).Take(Batch).Select(r => grains.GetGrain<IRequestGrain>(r.Id).Get()));
            matched.AddRange(candidates.Skip(i).Take(Batch).Zip(views)
                .Where(p => p.Second is { } v && v.CreatedAt >= from && v.CreatedAt <= to
                    && (statuses.IsEmpty || statuses.Contains(Open311Status.Of(v.Status))))
                .Select(p => new Found(p.Second!, p.First)));
        }

        var page = matched.OrderByDescending(r => r.View.CreatedAt).ThenBy(r => r.View.Id).Take(Open311Window.MaxItems);
        return Requests(f, await Task.WhenAll(page.Select(r => Present(r.View, r.Filed, places))));
    }

    public static async Task<Open311Response> GetUpdates(
        string format,
        [FromQuery(Name = "jurisdiction_id")] string? jurisdictionId,
        [FromQuery(Name = "start_date")] string? startDate,
        [FromQuery(Name = "end_date")] string? endDate,
        IGrainFactory grains,
        PlaceLookup places,
        TimeProvider time)
    {
        if (Open311Api.ParseFormat(format) is not { } f)
        {
            return Open311Api.UnknownFormat(format);
        }

        var (jurisdiction, error) = await Open311Api.Jurisdiction(jurisdictionId, f, places);
        if (jurisdiction is null)
        {
            return error!;
        }

        var errors = new ValidationErrors();
        var (from, to) = Open311Window.Resolve(startDate, endDate, time.GetUtcNow(), errors);
        if (!errors.IsEmpty)
        {
            return Open311Api.Invalid(f, errors);
        }

        // A request not changed since the start has nothing to tell: its summary (an interleaved
        // read) rules it out before its history is read.
        var filed = await Filed(jurisdiction, grains, places);
        var summaries = await Task.WhenAll(filed.Select(r => grains.GetGrain<IRequestGrain>(r.Id).GetSummary()));
        var changed = filed.Zip(summaries).Where(p => p.Second is { } s && s.UpdatedAt >= from && s.CreatedAt <= to).Select(p => p.First.Id).ToList();
        var histories = await Task.WhenAll(changed.Select(async id => (Id: id, History: await grains.GetGrain<IRequestGrain>(id).GetHistory() ?? [])));

        // Oldest first, so a client that asks again from the last update's time misses nothing.
        var updates = histories
            .SelectMany(h => Open311Status.Updates(h.Id, h.History))
            .Where(u => u.At >= from && u.At <= to)
            .OrderBy(u => u.At)
            .ThenBy(u => u.UpdateId, StringComparer.Ordinal)
            .Take(Open311Window.MaxItems)
            .Select(u => (object)new Open311Fields
            {
                { "update_id", u.UpdateId },
                { "service_request_id", u.RequestId.ToString() },
                { "status", u.Status },
                { "updated_datetime", u.At },
                { "description", u.Description },
                { "media_url", null },
            });
        return new Open311Response(StatusCodes.Status200OK, f, "service_request_updates", new Open311List("request_update", [.. updates]));
    }

    private sealed record Found(RequestView View, FiledRequest Filed);

    /// <summary>A request filed through Open311, inside <paramref name="jurisdiction"/> when one is given; otherwise null.</summary>
    private static async Task<Found?> Find(Guid id, PlaceInfo? jurisdiction, IGrainFactory grains, PlaceLookup places)
    {
        if (await grains.GetGrain<IRequestGrain>(id).Get() is not { } view)
        {
            return null;
        }

        if (jurisdiction is not null && (await places.Find(view.CommunityId))?.IsWithin(jurisdiction.Id) != true)
        {
            return null;
        }

        return await grains.GetGrain<IOpen311PlaceGrain>(Open311GrainKeys.Place(view.CommunityId)).Find(id) is { } filed
            ? new Found(view, filed)
            : null;
    }

    /// <summary>The records of every request filed through Open311 in the communities at or below the jurisdiction.</summary>
    private static async Task<List<FiledRequest>> Filed(PlaceInfo jurisdiction, IGrainFactory grains, PlaceLookup places)
    {
        var communities = await places.CommunitiesUnder(jurisdiction);
        var filed = await Task.WhenAll(communities.Select(c => grains.GetGrain<IOpen311PlaceGrain>(Open311GrainKeys.Place(c)).GetFiled()));
        return [.. filed.SelectMany(f => f)];
    }

    private static ImmutableArray<string> List(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static Open311Response Requests(Open311Format format, IEnumerable<Open311Fields> requests) =>
        new(StatusCodes.Status200OK, format, "service_requests", new Open311List("request", [.. requests]));

    /// <summary>A request as GeoReport shows it; <c>agency_responsible</c> is the place whose staff answer for it now.</summary>
    private static async Task<Open311Fields> Present(RequestView request, FiledRequest filed, PlaceLookup places) => new()
    {
        { "service_request_id", request.Id.ToString() },
        { "status", Open311Status.Of(request.Status) },
        { "status_notes", Open311Status.Note(request) },
        { "service_name", filed.ServiceName },
        { "service_code", filed.ServiceCode },
        { "description", request.Description },
        { "agency_responsible", (await places.Find(request.EscalationPlaceId))?.Name ?? request.EscalationPlaceId },
        { "service_notice", null },
        { "requested_datetime", request.CreatedAt },
        { "updated_datetime", request.UpdatedAt },
        { "expected_datetime", Open311Status.Expected(request) },
        { "address", null },
        { "address_id", null },
        { "zipcode", null },
        { "lat", null },
        { "long", null },
        { "media_url", filed.MediaUrl },
    };
}
