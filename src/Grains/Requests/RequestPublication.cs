using System.Globalization;
using System.Security.Cryptography;
using Dispatch.Common;
using Dispatch.Points;
using Microsoft.Extensions.Logging;

namespace Dispatch.Requests;

/// <summary>
/// How a request comes to be: its terms read (community, policy, award), its check-in code drawn,
/// an offer made in the same write when it is published for one volunteer, then stored and its
/// board told before anyone hears of it. Runs in the request grain's turn, like every change.
/// </summary>
internal sealed partial class RequestPublication(
    RequestStorage storage, RequestLookups lookups, RequestFollowUp followUps, PointsOptions points, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// Creates request <paramref name="id"/> and, with <paramref name="offerTo"/>, offers it to that
    /// volunteer in the same write: a volunteer the request could not be offered to refuses the
    /// whole publication. The same creator again is a retry and gets the request as it is.
    /// </summary>
    public async Task<Outcome<RequestView>> Publish(Guid id, NewRequest request, Actor actor, string? offerTo)
    {
        if (storage.Request is { } existing)
        {
            // The same creator again: a retry (the web host derives the id from an Idempotency-Key).
            return existing.CreatedBy == actor.Username
                ? existing.ToView()
                : Failure.Conflict("alreadyExists", $"Request '{existing.Id}' already exists.");
        }

        if (RequestLimits.Validate(request).FirstFailure() is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var found = await lookups.Terms(request.CommunityId, request.Kind, request.Urgency, request.Points, points, now);
        if (found.Value is not { } terms)
        {
            return found.Failure!;
        }

        var checkInCode = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var created = ServiceRequest.Create(id, request, actor, now, terms.Policy, terms.Community.Path, checkInCode, terms.Award, terms.AwardRule);
        var createdAt = created.Version;
        if (offerTo is not null && await lookups.OfferOnCreation(created, actor, offerTo, now) is { } refused)
        {
            return refused;
        }

        storage.Request = created;
        await storage.Store();
        await followUps.Publish(created, storage.Committed!);
        if (created.Version != createdAt)
        {
            await followUps.AfterStored(storage, createdAt);
        }

        LogCreated(created.Id, created.CommunityId, created.Kind, actor.Username);
        return created.ToView();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} ({Kind}) created in {CommunityId} by {Actor}")]
    private partial void LogCreated(Guid requestId, string communityId, RequestKind kind, string actor);
}
