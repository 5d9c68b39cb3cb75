using Dispatch.Common;

namespace Dispatch.Requests;

/// <summary>The bounds a new request must respect; checked by the web host and again by the grain.</summary>
public static class RequestLimits
{
    /// <summary>The highest escalation level: 0 community, 1 town, 2 county, 3 region (the request's own ladder stops there too).</summary>
    public const int MaxEscalationLevel = 3;

    public const int MaxTitle = 200;
    public const int MaxDescription = 4000;
    public const int MinPlaces = 1;
    public const int MaxPlaces = 1000;
    public const int MinPoints = 0;
    public const int MaxPoints = 10000;
    public const int MaxCategories = 20;
    public const int MaxCategory = 50;
    public const int MaxNote = 2000;
    public const int MaxBeneficiaryField = 200;

    /// <summary>A reader shown the contact again within this span is not recorded again.</summary>
    public static readonly TimeSpan ContactReadSpan = TimeSpan.FromMinutes(10);

    /// <summary>Contact reads kept per request; the oldest go first.</summary>
    public const int ContactReadsKept = 1000;

    public static ValidationErrors Validate(NewRequest request)
    {
        var errors = new ValidationErrors()
            .RequireText(request.CommunityId, "communityId", Identifiers.MaxLength)
            .Require(Enum.IsDefined(request.Kind), "kind", "'kind' must be one of wish, errand, case, activity.", "notOneOf")
            .Require(Enum.IsDefined(request.Urgency), "urgency", "'urgency' must be one of normal, urgent, critical.", "notOneOf")
            .RequireText(request.Title, "title", MaxTitle)
            .RequireText(request.Description, "description", MaxDescription, required: false)
            .RequireRange(request.Places, "places", MinPlaces, MaxPlaces)
            .RequireRange(request.Points, "points", MinPoints, MaxPoints);

        if (request.Kind != RequestKind.Activity && request.Places > 1)
        {
            errors.Add("places", "Only an activity may have more than one place.", "activityOnly");
        }

        var categories = request.Categories.IsDefault ? [] : request.Categories;
        errors.Require(categories.Length <= MaxCategories, "categories", $"At most {MaxCategories} categories.", "tooMany");
        errors.Require(
            categories.All(c => !string.IsNullOrWhiteSpace(c) && c.Length <= MaxCategory),
            "categories",
            $"Each category must be non-empty and at most {MaxCategory} characters.");

        if (request.Beneficiary is null)
        {
            errors.Add("beneficiary", "'beneficiary' is required.", "required");
        }
        else
        {
            errors.RequireText(request.Beneficiary.Name, "beneficiary.name", MaxBeneficiaryField)
                .RequireText(request.Beneficiary.Phone, "beneficiary.phone", MaxBeneficiaryField, required: false)
                .RequireText(request.Beneficiary.Address, "beneficiary.address", MaxBeneficiaryField, required: false);
        }

        return errors;
    }
}
