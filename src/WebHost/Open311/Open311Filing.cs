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
/// the key's jurisdiction: parsed and checked here, filed by <see cref="IOpen311FilingGrain"/>.
/// </summary>
public static class Open311Filing
{
    /// <summary>The largest body <c>POST requests</c> reads: a GeoReport request is a few short fields.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static async Task<Open311Response> PostRequest(
        string format, HttpRequest http, IGrainFactory grains, PlaceLookup places)
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

        // Validated before the community is chosen: the community is the one field the filing fills in.
        var spec = submission.ToRequest(service, jurisdiction.Id);
        errors = RequestLimits.Validate(spec);
        if (!errors.IsEmpty)
        {
            return Open311Api.Invalid(f, errors);
        }

        var trackingCode = TrackingCodes.New();
        var outcome = await grains.GetGrain<IOpen311FilingGrain>(0)
            .File(new NewOpen311Request(key.Id, jurisdiction, submission.Point, service, submission.MediaUrl, spec, trackingCode));
        if (outcome.Value is not { } filed)
        {
            var status = outcome.Failure!.Kind switch
            {
                FailureKind.NotFound => StatusCodes.Status404NotFound,
                FailureKind.Forbidden => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status400BadRequest,
            };
            return Open311Response.Error(f, status, outcome.Failure.Detail);
        }

        return new Open311Response(StatusCodes.Status200OK, f, "service_requests", new Open311List("request",
        [
            new Open311Fields
            {
                { "service_request_id", filed.Request.Id.ToString() },
                { "service_notice", $"Filed with {filed.CommunityName}; {Open311Status.Note(filed.Request)}" },
                { "account_id", null },
                { "tracking_code", filed.Tracked ? trackingCode : null },
                { "tracking_url", filed.Tracked ? $"{http.Scheme}://{http.Host}{TrackingApi.PagePath(trackingCode)}" : null },
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
}
