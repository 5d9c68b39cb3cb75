using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Dispatch.Common;
using Dispatch.Requests;

namespace Dispatch.Open311;

/// <summary>An option of a list attribute: GeoReport's <c>key</c> and <c>name</c>.</summary>
public sealed record Open311ListValue(string Key, string Name);

/// <summary>One extra form field (a GeoReport "attribute") of a service, as GeoReport's service definition describes it (always <c>variable</c>).</summary>
public sealed record Open311Field(
    string Code,
    string Datatype,
    bool Required,
    string Description,
    string? DatatypeDescription,
    int Order,
    ImmutableArray<Open311ListValue> Values);

/// <summary>The services Open311 clients may file: defaults from the request kinds, or an admin's list, and their attributes.</summary>
public static partial class Open311Services
{
    public const string PlacesAttribute = "places";
    public const string UrgencyAttribute = "urgency";
    public const int MaxServices = 100;
    public const int MaxName = 100;
    public const int MaxDescription = 1000;
    public const int MaxGroup = 100;
    public const int MaxKeywords = 500;

    /// <summary>One service per request kind, coded by the kind's name, for jurisdictions no admin configured.</summary>
    public static readonly ImmutableArray<Open311Service> Defaults =
    [
        new("wish", "Micro-wish", "A small need of a person in difficulty, fulfilled by one volunteer.", RequestKind.Wish, null, "community service", "wish,goods,help", 0),
        new("errand", "Errand", "Something done on a resident's behalf by one volunteer: book, handle or look up.", RequestKind.Errand, null, "community service", "errand,booking,paperwork", 0),
        new("case", "Case", "A grievance or dispute handled on a resident's behalf.", RequestKind.Case, null, "community service", "case,grievance,dispute", 0),
        new("activity", "Group activity", "A service activity that needs several volunteers, such as a free clinic.", RequestKind.Activity, null, "community service", "activity,clinic,group", 0),
    ];

    /// <summary>
    /// The extra fields of a service: the urgency for every service, and for an activity the
    /// number of places (volunteers) it needs.
    /// </summary>
    public static ImmutableArray<Open311Field> Attributes(Open311Service service)
    {
        var urgency = new Open311Field(
            UrgencyAttribute, "singlevaluelist", Required: false, "How urgent the need is (normal when not given).", null,
            service.Kind == RequestKind.Activity ? 2 : 1,
            [new("normal", "Normal"), new("urgent", "Urgent"), new("critical", "Critical")]);
        return service.Kind == RequestKind.Activity
            ?
            [
                new(PlacesAttribute, "number", Required: true, "How many volunteers the activity needs.",
                    $"A whole number from {RequestLimits.MinPlaces} to {RequestLimits.MaxPlaces}.", 1, []),
                urgency,
            ]
            : [urgency];
    }

    /// <summary>Letters, digits, '_' and '-': a code never holds the '.' that separates the format in a URL.</summary>
    public static bool IsValidCode(string? code) => code is not null && CodePattern().IsMatch(code);

    /// <summary>Checks an admin's list of services, keyed by JSON path (<c>services[0].code</c>).</summary>
    public static ValidationErrors Validate(IReadOnlyList<Open311Service> services)
    {
        var errors = new ValidationErrors()
            .Require(services.Count is >= 1 and <= MaxServices, "services", $"Give 1 to {MaxServices} services.");
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < services.Count; i++)
        {
            var service = services[i];
            var at = $"services[{i}]";
            errors.Require(IsValidCode(service.Code), $"{at}.code", "'code' must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit.")
                .Require(!IsValidCode(service.Code) || codes.Add(service.Code), $"{at}.code", $"Code '{service.Code}' is used twice.")
                .RequireText(service.Name, $"{at}.name", MaxName)
                .RequireText(service.Description, $"{at}.description", MaxDescription, required: false)
                .Require(Enum.IsDefined(service.Kind), $"{at}.kind", "'kind' must be one of wish, errand, case, activity.")
                .RequireText(service.Category, $"{at}.category", RequestLimits.MaxCategory, required: false)
                .RequireText(service.Group, $"{at}.group", MaxGroup, required: false)
                .RequireText(service.Keywords, $"{at}.keywords", MaxKeywords, required: false)
                .RequireRange(service.Points, $"{at}.points", RequestLimits.MinPoints, RequestLimits.MaxPoints);
        }

        return errors;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
