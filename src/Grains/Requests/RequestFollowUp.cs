using Dispatch.Common;
using Dispatch.Notifications;
using Dispatch.Points;
using Dispatch.Queries;
using Dispatch.Volunteers;
using Microsoft.Extensions.Logging;

namespace Dispatch.Requests;

/// <summary>
/// What follows a stored change to a request: its volunteers' grains are told what concerns them
/// (slots ended or reinstated, offers), its points outbox is posted to the claimants' ledgers, and
/// its history is kept bounded. Failures are logged, never thrown: the change stands; a
/// volunteer's slot heals by its own check at the limit, and a posting stays in the request until
/// a ledger has answered it.
/// </summary>
/// <param name="archive">The query store's history, when the silo has one (test clusters may not: they keep every entry).</param>
/// <param name="historyKept">How many history entries a request keeps (<see cref="RequestOptions.HistoryKept"/>).</param>
internal sealed partial class RequestFollowUp(IGrainFactory grains, ILogger logger, IHistoryArchive? archive, int historyKept)
{
    public async Task TellVolunteers(ServiceRequest request)
    {
        foreach (var notice in request.TakeNotices())
        {
            try
            {
                await grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(notice.Volunteer)).Notify(request.Id, notice.Action);
            }
            catch (Exception exception)
            {
                LogStepFailed(exception, request.Id, $"tell {notice.Volunteer} ({notice.Action})");
            }
        }
    }

    /// <summary>
    /// Posts the outbox to the ledgers, then stores (<paramref name="store"/>) which postings they
    /// answered. A failed write is logged: the ledgers hold the postings, posting them again is harmless.
    /// </summary>
    public async Task PostPoints(ServiceRequest request, Func<Task> store)
    {
        if (request.PendingPostings.IsEmpty || !request.MarkPosted(await Post(request)))
        {
            return;
        }

        try
        {
            await store();
        }
        catch (Exception exception)
        {
            LogStepFailed(exception, request.Id, "record postings");
        }
    }

    /// <summary>
    /// Posts the outbox in order, stopping at the first that fails (a reversal must never overtake
    /// the earning it reverses). Returns the keys the ledgers answered; the caller forgets them.
    /// </summary>
    private async Task<List<string>> Post(ServiceRequest request)
    {
        var posted = new List<string>();
        foreach (var (volunteer, posting) in request.PendingPostings)
        {
            try
            {
                var outcome = await grains.GetGrain<ILedgerGrain>(GrainKeys.Ledger(volunteer)).Post(posting);
                if (outcome.Failure is { } refused)
                {
                    // Not retried: a refusal is an answer, and trying again would give the same one.
                    LogPostingRefused(request.Id, volunteer, refused.Code);
                }

                posted.Add(posting.Key);
            }
            catch (Exception exception)
            {
                LogStepFailed(exception, request.Id, $"post points to {volunteer}");
                break;
            }
        }

        return posted;
    }

    /// <summary>
    /// Once the history kept has grown a tenth past <paramref name="historyKept"/>, drops the oldest
    /// entries the query store already holds (<see cref="HistoryWindow"/>). In memory only: the
    /// next change stores it, so trimming never costs a write of its own, and what is stored
    /// meanwhile holds more entries, never fewer.
    /// </summary>
    public async Task KeepHistoryBounded(ServiceRequest request)
    {
        if (archive is null || !HistoryWindow.Due(request.History.Length, historyKept))
        {
            return;
        }

        try
        {
            var archived = await archive.ArchivedThrough(request.Id, CancellationToken.None);
            if (request.TrimHistory(historyKept, archived) is > 0 and var dropped)
            {
                LogHistoryTrimmed(request.Id, dropped, request.HistoryTrimmed);
            }
        }
        catch (Exception exception)
        {
            LogStepFailed(exception, request.Id, "trim history");
        }
    }

    /// <summary>
    /// Delivers the waiting notices to their inboxes (a place's to each of its staff), then stores
    /// (<paramref name="store"/>) which were delivered. What an inbox did not take stays and is
    /// tried again at the next wake-up; an inbox keeps a key once, so a retry is delivered once.
    /// </summary>
    public async Task DeliverNotices(ServiceRequest request, Func<Task> store)
    {
        if (request.PendingNotices.IsDefaultOrEmpty)
        {
            return;
        }

        var delivered = await NoticeDelivery.Deliver(grains, request.PendingNotices, (exception, step) => LogStepFailed(exception, request.Id, step));
        if (!request.MarkNoticesDelivered(delivered))
        {
            return;
        }

        try
        {
            await store();
        }
        catch (Exception exception)
        {
            LogStepFailed(exception, request.Id, "record delivered notices");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId}: {Dropped} history entries left to the query store ({Trimmed} in all)")]
    private partial void LogHistoryTrimmed(Guid requestId, int dropped, int trimmed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: the ledger of {Volunteer} refused a posting ({Reason})")]
    private partial void LogPostingRefused(Guid requestId, string volunteer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} was stored, but the follow-up step '{Step}' failed")]
    private partial void LogStepFailed(Exception exception, Guid requestId, string step);
}
