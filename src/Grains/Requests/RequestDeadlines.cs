using System.Collections.Immutable;
using Dispatch.Escalation;
using Microsoft.Extensions.Logging;

namespace Dispatch.Requests;

/// <summary>
/// The request grain's deadline turn, run by its <see cref="DeadlineAlarm"/> (timer and reminder)
/// and never inside a call: applies every deadline that has passed (escalations, expired claims,
/// lapsed offers), brings in the staff an escalation reaches, stores, and follows up; with nothing
/// due, retries what the outboxes still owe and moves the wake-ups.
/// </summary>
/// <param name="deactivate">Drops the activation: what was applied in memory only is reloaded.</param>
internal sealed partial class RequestDeadlines(
    RequestStorage storage, RequestLookups lookups, RequestFollowUp followUps, TimeProvider time, ILogger logger, Action deactivate)
{
    public async Task Apply()
    {
        if (storage.Request is not { } request)
        {
            return;
        }

        var now = time.GetUtcNow();
        var before = request.Version;
        var events = request.Advance(now);
        if (events.IsEmpty)
        {
            await followUps.DeliverOutboxes(request, storage.Store);
            await storage.Reschedule();
            return;
        }

        try
        {
            await lookups.BringInSupervisors(request, events, now);
        }
        catch
        {
            // The deadlines were applied in memory only: drop them; the reminder brings them back.
            request.ForgetNotices();
            deactivate();
            throw;
        }

        await storage.Store();
        LogApplied(request.Id, events);
        await followUps.AfterStored(storage, before);
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} escalated to level {Level} ({PlaceId})")]
    private partial void LogEscalated(Guid requestId, int level, string placeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: the claim of {Volunteer} expired")]
    private partial void LogClaimExpired(Guid requestId, string volunteer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: the offer to {Volunteer} lapsed")]
    private partial void LogOfferLapsed(Guid requestId, string volunteer);
}
