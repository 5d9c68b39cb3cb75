using System.Collections.Immutable;
using System.Globalization;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Queries;
using Dispatch.Requests;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Dispatch.WebHost.Places;

/// <summary>
/// The filters of a place's list of requests and of its export, bound as plain strings so that a
/// bad value is reported with its parameter's name (400) instead of failing the binding.
/// </summary>
public sealed class RequestListParameters
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = 100_000;
    public const int MaxText = 200;

    /// <summary>One status or several, comma-separated (<c>open,claimed</c>).</summary>
    [FromQuery(Name = "status")] public string? Status { get; init; }

    [FromQuery(Name = "kind")] public string? Kind { get; init; }

    [FromQuery(Name = "urgency")] public string? Urgency { get; init; }

    [FromQuery(Name = "category")] public string? Category { get; init; }

    /// <summary><c>true</c> or <c>false</c>.</summary>
    [FromQuery(Name = "overdue")] public string? Overdue { get; init; }

    /// <summary>A substring of the title or description.</summary>
    [FromQuery(Name = "q")] public string? Q { get; init; }

    /// <summary>Created at or after (ISO 8601).</summary>
    [FromQuery(Name = "from")] public string? From { get; init; }

    /// <summary>Created before (ISO 8601).</summary>
    [FromQuery(Name = "to")] public string? To { get; init; }

    /// <summary><c>newest</c> (default), <c>oldest</c>, <c>updated</c>, <c>urgency</c>, <c>level</c> or <c>due</c>.</summary>
    [FromQuery(Name = "sort")] public string? Sort { get; init; }

    /// <summary>From 1 (default).</summary>
    [FromQuery(Name = "page")] public string? Page { get; init; }

    /// <summary>1 to 200 (default 50).</summary>
    [FromQuery(Name = "pageSize")] public string? PageSize { get; init; }

    /// <summary>The filter for the subtree of <paramref name="place"/>, or the errors naming the parameters at fault.</summary>
    public RequestFilter? ToFilter(PlaceInfo place, ValidationErrors errors)
    {
        var statuses = ImmutableArray.CreateBuilder<RequestStatus>();
        foreach (var part in (Status ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Query.ParseEnum<RequestStatus>(part, "status", errors) is { } status)
            {
                statuses.Add(status);
            }
        }

        var kind = Query.ParseEnum<RequestKind>(Kind, "kind", errors);
        var urgency = Query.ParseEnum<Urgency>(Urgency, "urgency", errors);
        var category = string.IsNullOrWhiteSpace(Category) ? null : Category.Trim();
        errors.Require(category is null || category.Length <= RequestLimits.MaxCategory, "category", $"'category' must be at most {RequestLimits.MaxCategory} characters.");
        bool? overdue = null;
        if (!string.IsNullOrWhiteSpace(Overdue))
        {
            if (bool.TryParse(Overdue.Trim(), out var value))
            {
                overdue = value;
            }
            else
            {
                errors.Add("overdue", "'overdue' must be true or false.");
            }
        }

        var text = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();
        errors.Require(text is null || text.Length <= MaxText, "q", $"'q' must be at most {MaxText} characters.");
        var (from, to) = Period(From, To, errors);
        return errors.IsEmpty
            ? new RequestFilter(place.Path, statuses.ToImmutable(), kind, urgency, category, overdue, text, from, to)
            : null;
    }

    public RequestSort ParseSort(ValidationErrors errors) => Query.ParseEnum<RequestSort>(Sort, "sort", errors) ?? RequestSort.Newest;

    public (int Page, int PageSize) ParsePage(ValidationErrors errors) => (
        Query.ParseInt(Page, "page", 1, 1, MaxPage, errors),
        Query.ParseInt(PageSize, "pageSize", DefaultPageSize, 1, MaxPageSize, errors));

    /// <summary>An optional half-open period of ISO 8601 times (a date alone is its midnight, UTC).</summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) Period(string? fromText, string? toText, ValidationErrors errors)
    {
        var from = Time(fromText, "from", errors);
        var to = Time(toText, "to", errors);
        if (from is { } start && to is { } end && end <= start)
        {
            errors.Add("to", "'to' must be later than 'from'.");
        }

        return (from, to);
    }

    private static DateTimeOffset? Time(string? text, string name, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            && time.Year is >= 2000 and <= 9000)
        {
            return time;
        }

        errors.Add(name, $"'{name}' must be an ISO 8601 date or time, such as 2026-12-01 or 2026-12-01T08:00:00Z.");
        return null;
    }
}
