using System.Collections.Immutable;
using Dispatch.Hours;
using Dispatch.Places;
using Dispatch.Statistics;
using Dispatch.Suggestions;
using Dispatch.WebHost.Infrastructure;

namespace Dispatch.WebHost.Statistics;

/// <summary>
/// The figures the statistics show beside the requests' for a period: service hours and
/// person-times (人次) from the volunteers' hours (one call per registered volunteer of the place,
/// as <c>GET /api/places/{id}/hours</c> makes), and the suggestions handed over and answered from
/// the suggestions' index (one call). A place group (community, town, county) gets its share.
/// </summary>
public sealed class ServiceStatistics(PlaceService service, ImmutableArray<SuggestionView> suggestions, DateTimeOffset? from, DateTimeOffset? to)
{
    public static async Task<ServiceStatistics> Read(PlaceInfo place, DateTimeOffset? from, DateTimeOffset? to, CallContext call)
    {
        var service = call.Grains.GetGrain<IHoursTotalsGrain>(0).Service(place, from, to);
        var suggestions = call.Grains.GetGrain<ISuggestionIndexGrain>(SuggestionKeys.Index).List();
        return new ServiceStatistics(await service, await suggestions, from, to);
    }

    public PlaceStatistics AddTo(PlaceStatistics figures, string placeId)
    {
        var handed = SuggestionStatistics.Totals(suggestions, placeId, from, to);
        return figures with
        {
            Hours = service.Hours,
            PersonTimes = service.PersonTimes,
            SuggestionsHandedOver = handed.HandedOver,
            SuggestionsAnswered = handed.Answered,
            SuggestionsAnsweredOnTime = handed.AnsweredOnTime,
        };
    }

    public PeriodStatistics AddTo(PeriodStatistics figures)
    {
        var handed = SuggestionStatistics.Totals(suggestions, figures.PlaceId, from, to);
        return figures with
        {
            Hours = service.Hours,
            PersonTimes = service.PersonTimes,
            SuggestionsHandedOver = handed.HandedOver,
            SuggestionsAnswered = handed.Answered,
            SuggestionsAnsweredOnTime = handed.AnsweredOnTime,
        };
    }

    /// <summary>A place group's share: the service of its communities (<paramref name="communities"/>: those at or below it) and the suggestions about it or below.</summary>
    public StatisticsGroup AddTo(StatisticsGroup group, IReadOnlySet<string> communities)
    {
        var served = service.Communities.Where(c => communities.Contains(c.CommunityId)).ToList();
        var minutes = served.Sum(c => c.Minutes);
        var handed = SuggestionStatistics.Totals(suggestions, group.Key, from, to);
        return group with
        {
            Hours = HoursLimits.ToHours(minutes),
            PersonTimes = served.Sum(c => c.PersonTimes),
            SuggestionsHandedOver = handed.HandedOver,
            SuggestionsAnswered = handed.Answered,
            SuggestionsAnsweredOnTime = handed.AnsweredOnTime,
        };
    }
}
