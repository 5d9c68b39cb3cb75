using Dispatch.Common;

namespace Dispatch.Activities;

/// <summary>The bounds of an activity's event section; checked by the web host and again by the grain.</summary>
public static class ActivityLimits
{
    public const int MaxVenue = 200;

    /// <summary>An event lasts at least this long: a check-in code needs a window to be shown in.</summary>
    public static readonly TimeSpan MinLength = TimeSpan.FromMinutes(15);

    /// <summary>An event is a day's service at most (a multi-day campaign is several activities).</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromHours(24);

    /// <summary>How long one check-in code stays the current one; the previous one is still accepted.</summary>
    public static readonly TimeSpan CodeSpan = TimeSpan.FromMinutes(10);

    /// <summary>Wrong codes one volunteer may enter before only a manual record can count their attendance.</summary>
    public const int MaxWrongCodes = 5;

    public const int MaxCode = 32;

    /// <summary>The event's start, end, venue and organiser: field names as the API spells them.</summary>
    public static ValidationErrors Validate(EventDetails details, ValidationErrors? errors = null)
    {
        errors ??= new ValidationErrors();
        errors.RequireText(details.Venue, "venue", MaxVenue);
        if (string.IsNullOrWhiteSpace(details.Organiser) || !Identifiers.IsValidUsername(Identifiers.NormalizeUsername(details.Organiser)))
        {
            errors.Add("organiser", "'organiser' must be the username of an account.");
        }

        if (details.StartsAt == default)
        {
            errors.Add("startsAt", "'startsAt' is required (an ISO 8601 date and time with its offset).");
        }

        if (details.EndsAt == default)
        {
            errors.Add("endsAt", "'endsAt' is required (an ISO 8601 date and time with its offset).");
        }
        else if (details.StartsAt != default)
        {
            var length = details.EndsAt - details.StartsAt;
            errors.Require(length >= MinLength, "endsAt", $"'endsAt' must be at least {MinLength.TotalMinutes:0} minutes after 'startsAt'.");
            errors.Require(length <= MaxLength, "endsAt", $"An activity lasts at most {MaxLength.TotalHours:0} hours.");
        }

        return errors;
    }
}
