using Dispatch.Common;
using Dispatch.Intake;
using Dispatch.Open311;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Residents;

namespace Dispatch.WebHost.Open311;

/// <summary>
/// GeoReport's POST requests: a form with an API key becomes a Dispatch request in a community of
/// the key's jurisdiction, through the same <see cref="IRequestGrain.Create"/> as the staff's route.
/// </summary>
public static partial class Open311Filing
{
    /// <summary>Who a request filed through Open311 was created by, in its history: the key that filed it.</summary>
    public static string Creator(Guid keyId) => $"open311:{keyId:N}";

    /// <summary>The largest body <c>POST requests</c> reads: a GeoReport request is a few short fields.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static async Task<Open311Response> PostRequest(
        string format, HttpRequest http, IGrainFactory grains, PlaceLookup places, TimeProvider time, ILoggerFactory loggers)
    {
        if (Open311Api.ParseFormat(format) is not { } f)
        {
            return Open311Api.UnknownFormat(format);
        }

        // The key first: nothing about the input is told to a caller without one. A key in the
        // query string is checked before a byte of the body is read; one in the form, once the
        // form (at most MaxBodyBytes) is read, before any of its other fields is looked at.
        Open311KeyInfo? key = null;
        var inQuery = http.Query.TryGetValue("api_key", out var queryKey);
        if (inQuery)
        {
            key = await Authenticate(queryKey.Count == 1 ? queryKey.ToString() : null, grains);
            if (key is null)
            {
                return KeyRefused(f, queryKey.ToString());
            }
        }

        var (form, formError) = await ReadForm(http, f);
        if (form is null)
        {
            return formError!;
        }

        if (key is null)
        {
            var presented = form.GetValueOrDefault("api_key");
            key = await Authenticate(presented, grains);
            if (key is null)
            {
                return KeyRefused(f, presented);
            }
        }

        var (jurisdiction, error) = await Open311Api.Jurisdiction(form.GetValueOrDefault("jurisdiction_id"), f, places);
        if (jurisdiction is null)
        {
            return error!;
        }

        // A key acts for its jurisdiction and the places below it, as staff do in their scope.
        if (!ScopeGuard.KeyCovers(key.JurisdictionId, jurisdiction))
        {
            return Open311Response.Error(f, StatusCodes.Status403Forbidden, $"This 'api_key' is not valid for jurisdiction '{jurisdiction.Id}'.");
        }

        var code = form.GetValueOrDefault("service_code")?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            return Open311Response.Error(f, StatusCodes.Status400BadRequest, "'service_code' is required.");
        }

        if ((await Open311Api.ServicesAt(jurisdiction, grains)).FirstOrDefault(s => s.Code == code) is not { } service)
        {
            return Open311Response.Error(f, StatusCodes.Status400BadRequest, $"'service_code' '{code}' is not a service of jurisdiction '{jurisdiction.Id}'.");
        }

        var errors = new ValidationErrors();
        if (Open311Submission.Parse(form, service, errors) is not { } submission)
        {
            return Open311Api.Invalid(f, errors);
        }

        var (community, communityError) = await CommunityFor(jurisdiction, submission.Point, f, grains, places);
        if (community is null)
        {
            return communityError!;
        }

        var spec = submission.ToRequest(service, community.Id);
        errors = RequestLimits.Validate(spec);
        if (!errors.IsEmpty)
        {
            return Open311Api.Invalid(f, errors);
        }

        // Listed before it is created (and both stored before the answer): a crash in between
        // leaves an id without a request, which listings skip, never a request no listing finds.
        var id = Guid.NewGuid();
        await grains.GetGrain<IOpen311PlaceGrain>(Open311GrainKeys.Place(community.Id))
            .File(new FiledRequest(id, time.GetUtcNow(), service.Code, service.Name, submission.MediaUrl, key.Id));
        var outcome = await grains.GetGrain<IRequestGrain>(id).Create(spec, new Actor(Creator(key.Id), AccountRole.Staff));
        if (outcome.Value is not { } created)
        {
            var status = outcome.Failure!.Kind switch
            {
                FailureKind.NotFound => StatusCodes.Status404NotFound,
                FailureKind.Forbidden => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status400BadRequest,
            };
            return Open311Response.Error(f, status, outcome.Failure.Detail);
        }

        // The resident follows, confirms and rates it with a tracking code, as one who filed on the public page.
        var trackingCode = TrackingCodes.New();
        var linked = await grains.GetGrain<ITrackingGrain>(IntakeKeys.Tracking(trackingCode)).Link(new TrackingLink(null, created.Id));
        var logger = loggers.CreateLogger(typeof(Open311Filing));
        LogFiled(logger, created.Id, created.CommunityId, service.Code, key.Id);
        return new Open311Response(StatusCodes.Status200OK, f, "service_requests", new Open311List("request",
        [
            new Open311Fields
            {
                { "service_request_id", created.Id.ToString() },
                { "service_notice", $"Filed with {community.Name}; {Open311Status.Note(created)}" },
                { "account_id", null },
                { "tracking_code", linked.Value is null ? null : trackingCode },
                { "tracking_url", linked.Value is null ? null : $"{http.Scheme}://{http.Host}{TrackingApi.PagePath(trackingCode)}" },
            },
        ]));
    }

    private static async Task<Open311KeyInfo?> Authenticate(string? presented, IGrainFactory grains) =>
        presented is not null && Open311Keys.TryParseId(presented.Trim(), out var keyId)
            ? await grains.GetGrain<IOpen311KeyGrain>(keyId).Authenticate(Open311Keys.Hash(presented.Trim()))
            : null;

    private static Open311Response KeyRefused(Open311Format format, string? presented) =>
        Open311Response.Error(format, StatusCodes.Status403Forbidden,
            string.IsNullOrWhiteSpace(presented) ? "'api_key' is required." : "'api_key' is not valid, or was revoked.");

    /// <summary>
    /// The form's fields, one value each. A body that is not a form, cannot be read, or names a
    /// field twice is refused with a 400; one larger than <see cref="MaxBodyBytes"/> with a 413,
    /// as soon as its length says so or that many bytes have been read.
    /// </summary>
    private static async Task<(Dictionary<string, string>? Form, Open311Response? Error)> ReadForm(HttpRequest http, Open311Format format)
    {
        if (!http.HasFormContentType)
        {
            return (null, Open311Response.Error(format, StatusCodes.Status400BadRequest,
                "Send the fields form-encoded (application/x-www-form-urlencoded or multipart/form-data)."));
        }

        var tooLarge = Open311Response.Error(format, StatusCodes.Status413PayloadTooLarge,
            $"The body is larger than {MaxBodyBytes / 1024} KB: a GeoReport request is a few fields (send media as a media_url).");
        if (http.ContentLength > MaxBodyBytes)
        {
            return (null, tooLarge);
        }

        IFormCollection form;
        try
        {
            // Read into memory up to one byte past the cap, whatever the length said (or did not say).
            var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await http.Body.ReadAsync(chunk, http.HttpContext.RequestAborted)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes)
                {
                    return (null, tooLarge);
                }
            }

            buffer.Position = 0;
            http.Body = buffer;
            form = await http.ReadFormAsync(http.HttpContext.RequestAborted);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, Open311Response.Error(format, StatusCodes.Status400BadRequest, "The form could not be read: " + exception.Message));
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new ValidationErrors();
        foreach (var (name, values) in form)
        {
            errors.Require(values.Count <= 1, name, $"'{name}' is given more than once.");
            fields[name] = values.ToString();
        }

        return errors.IsEmpty ? (fields, null) : (null, Open311Api.Invalid(format, errors));
    }

    /// <summary>
    /// The community a request lands in: the jurisdiction itself when it is one; otherwise the one
    /// nearest to the request's <c>lat</c>/<c>long</c> among the communities below it that have a location.
    /// </summary>
    private static async Task<(PlaceInfo? Community, Open311Response? Error)> CommunityFor(
        PlaceInfo jurisdiction, GeoPoint? point, Open311Format format, IGrainFactory grains, PlaceLookup places)
    {
        if (jurisdiction.Kind == PlaceKind.Community)
        {
            return (jurisdiction, null);
        }

        if (point is null)
        {
            return (null, Open311Response.Error(format, StatusCodes.Status400BadRequest,
                $"'lat' and 'long' are required in jurisdiction '{jurisdiction.Id}': they decide which of its communities the request goes to."));
        }

        var communities = await places.CommunitiesUnder(jurisdiction);
        var locations = await Task.WhenAll(communities.Select(c => grains.GetGrain<IOpen311PlaceGrain>(Open311GrainKeys.Place(c)).GetLocation()));
        var located = communities.Zip(locations).Where(c => c.Second is not null).Select(c => (c.First, c.Second!));
        if (Open311Geo.Nearest(point, located) is not { } nearest || await places.Find(nearest) is not { } community)
        {
            return (null, Open311Response.Error(format, StatusCodes.Status400BadRequest,
                $"No community of jurisdiction '{jurisdiction.Id}' has a location yet, so none can be chosen by 'lat' and 'long': file with a community's id."));
        }

        return (community, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Open311 request {RequestId} filed in {CommunityId} as {ServiceCode} with key {KeyId}")]
    private static partial void LogFiled(ILogger logger, Guid requestId, string communityId, string serviceCode, Guid keyId);
}
