using System.Collections.Immutable;
using Dispatch.Escalation;
using Microsoft.Extensions.Logging;

namespace Dispatch.Requests;

// The request grain's log messages, and what an applied deadline logs and counts.
public sealed partial class RequestGrain
{
    private void LogApplied(Guid requestId, ImmutableArray<ClockEvent> events)
    {
        foreach (var clock in events)
        {
            switch (clock.Kind)
            {
                case DeadlineKind.ClaimExpiry:
                    LogClaimExpired(requestId, clock.Volunteer!);
                    break;
                case DeadlineKind.OfferExpiry:
                    LogOfferLapsed(requestId, clock.Volunteer!);
                    break;
                default:
                    LogEscalated(requestId, clock.Level, clock.PlaceId);
                    DispatchMetrics.Escalated(clock.Level);
                    break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} ({Kind}) created in {CommunityId} by {Actor}")]
    private partial void LogCreated(Guid requestId, string communityId, RequestKind kind, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} escalated to level {Level} ({PlaceId})")]
    private partial void LogEscalated(Guid requestId, int level, string placeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: the claim of {Volunteer} expired")]
    private partial void LogClaimExpired(Guid requestId, string volunteer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: the offer to {Volunteer} lapsed")]
    private partial void LogOfferLapsed(Guid requestId, string volunteer);
}
