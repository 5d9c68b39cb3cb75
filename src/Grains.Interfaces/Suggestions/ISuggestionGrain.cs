using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Suggestions;

/// <summary>
/// One suggestion or proposal, keyed by <see cref="SuggestionKeys.Suggestion"/>: filed, handed over
/// to a department with a deadline, answered, rated; escalated while it waits past its deadline.
/// The web host has decided who may see it (<see cref="SuggestionScope"/>, through its scope guard);
/// the grain decides who may file and who may answer, from the actor's account, and keeps the order.
/// </summary>
public interface ISuggestionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Files the suggestion under the representative title on <paramref name="author"/>'s account;
    /// refused (403 <c>notRepresentative</c>) when the account has none (<see cref="SuggestionScope.CheckAuthor"/>).
    /// </summary>
    /// <param name="placePath">The place concerned's path from the root (the web host found the place).</param>
    Task<Outcome<SuggestionView>> File(NewSuggestion suggestion, ImmutableArray<string> placePath, Actor author);

    Task<SuggestionView?> Get();

    Task<ImmutableArray<SuggestionEvent>> GetHistory();

    Task<Outcome<SuggestionView>> HandOver(SuggestionHandover handover, string by);

    /// <summary>
    /// The department's answer: refused (403 <c>notDepartment</c>) unless <paramref name="by"/> is an
    /// account of the department it was handed to (<see cref="SuggestionScope.CheckAnswerer"/>).
    /// </summary>
    Task<Outcome<SuggestionView>> Answer(string answer, Actor by);

    Task<Outcome<SuggestionView>> Rate(SuggestionRating rating, string by);
}

/// <summary>
/// Every suggestion's latest view, one line each, so that lists, department queues and statistics
/// are one call. Mirrors the suggestion grains, told after each stored change.
/// </summary>
public interface ISuggestionIndexGrain : IGrainWithStringKey
{
    Task Record(SuggestionView suggestion);

    Task<ImmutableArray<SuggestionView>> List();
}

public static class SuggestionKeys
{
    public const string SuggestionPrefix = "suggestion:";

    /// <summary>The one index of suggestions (a county files hundreds a year, not millions).</summary>
    public const string Index = "suggestions:all";

    public static string Suggestion(string id) => SuggestionPrefix + id;
}
