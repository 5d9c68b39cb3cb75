using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Requests;

/// <summary>
/// What staff may change on an open request (<c>PATCH /api/requests/{id}</c>): each field left
/// null stays as it is (an edit naming nothing changes nothing). An empty <paramref name="Description"/> removes it. The kind, the places,
/// the points and the beneficiary are not here: a volunteer's or a ledger's view of them must not
/// change under them. Deadlines follow the policy of the (new) urgency.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RequestEdit")]
public sealed record RequestEdit(string? Title, string? Description, ImmutableArray<string>? Categories, Urgency? Urgency)
{
    /// <summary>The same bounds as a new request's, for the fields given.</summary>
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        if (Title is not null)
        {
            errors.RequireText(Title, "title", RequestLimits.MaxTitle);
        }

        if (Description is not null)
        {
            errors.Require(Description.Length <= RequestLimits.MaxDescription, "description", $"'description' must be at most {RequestLimits.MaxDescription} characters.");
        }

        if (Urgency is { } urgency)
        {
            errors.Require(Enum.IsDefined(urgency), "urgency", "'urgency' must be one of normal, urgent, critical.");
        }

        if (Categories is { } categories)
        {
            errors.Require(categories.Length <= RequestLimits.MaxCategories, "categories", $"At most {RequestLimits.MaxCategories} categories.");
            errors.Require(
                categories.All(c => !string.IsNullOrWhiteSpace(c) && c.Length <= RequestLimits.MaxCategory),
                "categories",
                $"Each category must be non-empty and at most {RequestLimits.MaxCategory} characters.");
        }

        return errors;
    }
}
