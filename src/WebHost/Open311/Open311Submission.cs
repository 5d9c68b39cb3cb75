using System.Globalization;
using Dispatch.Common;
using Dispatch.Open311;
using Dispatch.Requests;

namespace Dispatch.WebHost.Open311;

/// <summary>
/// The fields of a GeoReport POST, checked, and the Dispatch request they become. The submitter's
/// name, email and phone, and the address, become the beneficiary's private contact.
/// </summary>
public sealed record Open311Submission(
    string? Description,
    GeoPoint? Point,
    [property: PersonalData] string? AddressString,
    [property: PersonalData] string? AddressId,
    [property: PersonalData] string? FirstName,
    [property: PersonalData] string? LastName,
    [property: PersonalData] string? Email,
    [property: PersonalData] string? Phone,
    string? MediaUrl,
    Urgency Urgency,
    int Places)
{
    public override string ToString() => ClassifiedText.Of(this);

    public const int MaxNamePart = 100;
    public const int MaxMediaUrl = 2000;

    /// <summary>Stands in for the beneficiary's name when the submitter gave no name or email.</summary>
    public const string Anonymous = "Open311 submitter";

    /// <summary>
    /// Reads the form's fields (one value each, blank meaning absent) for <paramref name="service"/>.
    /// Errors are keyed by the form field at fault; then the answer is null.
    /// </summary>
    public static Open311Submission? Parse(IReadOnlyDictionary<string, string> form, Open311Service service, ValidationErrors errors)
    {
        string? Field(string name) => form.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var description = Field("description");
        var addressString = Field("address_string");
        var addressId = Field("address_id");
        var firstName = Field("first_name");
        var lastName = Field("last_name");
        var email = Field("email");
        var phone = Field("phone");
        var mediaUrl = Field("media_url");
        errors.RequireText(description, "description", RequestLimits.MaxDescription, required: false)
            .RequireText(addressString, "address_string", RequestLimits.MaxBeneficiaryField, required: false)
            .RequireText(addressId, "address_id", RequestLimits.MaxBeneficiaryField, required: false)
            .RequireText(firstName, "first_name", MaxNamePart, required: false)
            .RequireText(lastName, "last_name", MaxNamePart, required: false)
            .RequireText(phone, "phone", RequestLimits.MaxBeneficiaryField, required: false)
            .Require(email is null || (email.Length <= MaxNamePart && email.IndexOf('@', StringComparison.Ordinal) is > 0 && !email.EndsWith('@') && !email.Any(char.IsWhiteSpace)),
                "email", $"'email' must be an email address of at most {MaxNamePart} characters.")
            .Require(mediaUrl is null || (mediaUrl.Length <= MaxMediaUrl && Uri.TryCreate(mediaUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)),
                "media_url", $"'media_url' must be an http or https URL of at most {MaxMediaUrl} characters.");

        // A malformed point has its own error; only a missing location gets this one.
        var point = ParsePoint(Field("lat"), Field("long"), errors);
        errors.Require(point is not null || Field("lat") is not null || Field("long") is not null || addressString is not null || addressId is not null,
            "lat", "A location is required: 'lat' and 'long', 'address_string' or 'address_id'.");

        var urgency = ParseUrgency(Field(AttributeField(Open311Services.UrgencyAttribute)), errors);
        var places = 1;
        if (service.Kind == RequestKind.Activity)
        {
            var name = AttributeField(Open311Services.PlacesAttribute);
            places = int.TryParse(Field(name), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                && number is >= RequestLimits.MinPlaces and <= RequestLimits.MaxPlaces
                    ? number
                    : 0;
            errors.Require(places > 0, name, $"'{name}' is required: a whole number from {RequestLimits.MinPlaces} to {RequestLimits.MaxPlaces}.");
        }

        return errors.IsEmpty
            ? new Open311Submission(description, point, addressString, addressId, firstName, lastName, email, phone, mediaUrl, urgency, places)
            : null;
    }

    /// <summary>The form field of a service attribute, as GeoReport names it: <c>attribute[code]</c>.</summary>
    public static string AttributeField(string code) => $"attribute[{code}]";

    /// <summary>The request to create in <paramref name="communityId"/>.</summary>
    public NewRequest ToRequest(Open311Service service, string communityId) => new(
        communityId,
        service.Kind,
        Title(service.Name, Description),
        Description,
        service.Category is { } category ? [category] : [],
        Urgency,
        Places,
        service.Points,
        new Beneficiary(ContactName(FirstName, LastName, Email), Phone, Address()));

    /// <summary>The first line of the description, shortened to fit a title; the service's name when there is none.</summary>
    public static string Title(string serviceName, string? description)
    {
        var firstLine = description?.Split('\n', 2)[0].Trim();
        if (string.IsNullOrEmpty(firstLine))
        {
            return serviceName;
        }

        return firstLine.Length <= RequestLimits.MaxTitle ? firstLine : string.Concat(firstLine.AsSpan(0, RequestLimits.MaxTitle - 1), "…");
    }

    /// <summary>"First Last &lt;email&gt;", or as much of it as was given.</summary>
    public static string ContactName(string? firstName, string? lastName, string? email)
    {
        var name = string.Join(' ', new[] { firstName, lastName }.Where(p => !string.IsNullOrWhiteSpace(p)));
        return (name.Length, email) switch
        {
            (> 0, { } address) => $"{name} <{address}>",
            (> 0, null) => name,
            (0, { } address) => address,
            _ => Anonymous,
        };
    }

    private string? Address() =>
        AddressString
        ?? (Point is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p.Latitude}, {p.Longitude}") : null)
        ?? (AddressId is { } id ? $"address id {id}" : null);

    private static GeoPoint? ParsePoint(string? latitude, string? longitude, ValidationErrors errors)
    {
        if (latitude is null && longitude is null)
        {
            return null;
        }

        const NumberStyles number = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
        if (double.TryParse(latitude, number, CultureInfo.InvariantCulture, out var lat)
            && double.TryParse(longitude, number, CultureInfo.InvariantCulture, out var lon)
            && GeoPoint.IsValid(lat, lon))
        {
            return new GeoPoint(lat, lon);
        }

        errors.Add("lat", "'lat' and 'long' must be given together, in degrees (WGS84): latitude from -90 to 90, longitude from -180 to 180.");
        return null;
    }

    private static Urgency ParseUrgency(string? value, ValidationErrors errors)
    {
        if (value is null)
        {
            return Urgency.Normal;
        }

        foreach (var urgency in Enum.GetValues<Urgency>())
        {
            if (string.Equals(urgency.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                return urgency;
            }
        }

        var name = AttributeField(Open311Services.UrgencyAttribute);
        errors.Add(name, $"'{name}' must be one of normal, urgent, critical.");
        return Urgency.Normal;
    }
}
