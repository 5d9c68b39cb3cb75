using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Hours;
using Dispatch.Notifications;
using Dispatch.Points;
using Dispatch.Queries;
using Dispatch.Volunteers;
using Microsoft.Extensions.Logging;

namespace Dispatch.Requests;

/// <summary>
/// What follows a stored change to a request: its volunteers' grains are told what concerns them
/// (slots ended or reinstated, offers), its outboxes are delivered (points, confirmed hours,
/// notices), and its history is kept bounded. Failures are logged, never thrown: the change stands; a
/// volunteer's slot heals by its own check at the limit, and a posting stays in the request until
/// a ledger has answered it.
/// </summary>
/// <param name="archive">The query store's history, when the silo has one (test clusters may not: they keep every entry).</param>
/// <param name="historyKept">How many history entries a request keeps (<see cref="RequestOptions.HistoryKept"/>).</param>
internal sealed partial class RequestFollowUp(IGrainFactory grains, ILogger logger, IHistoryArchive? archive, int historyKept)
{
    /// <summary>
    /// After a change made at <paramref name="before"/> is stored: counted, its volunteers told,
    /// its outboxes delivered, the board told, the history kept bounded. Never throws: the change stands.
    /// </summary>
    /// <param name="reopenedFrom">
    /// The summary a finished request had before this change brought it back to work: its board
    /// may have retired it and must take those figures back.
    /// </param>
    public async Task AfterStored(RequestStorage storage, int before, RequestSummary? reopenedFrom = null)
    {
        var request = storage.Request!;
        DispatchMetrics.Appended(request.History.Where(entry => entry.Seq > before));
        await TellVolunteers(request);
        await DeliverOutboxes(request, storage.Store);
        Announce(request, storage.Committed ?? request.ToSummary(), reopenedFrom);
        await KeepHistoryBounded(request);
    }

    /// <summary>
    /// A new request's board learns of it before anyone is told it exists, so it can always be
    /// rebuilt. The request is stored already: if the board does not answer, it learns of it from
    /// the next change instead, and the creation still stands.
    /// </summary>
    public async Task Publish(ServiceRequest created, RequestSummary stored)
    {
        try
        {
            await Community(created.CommunityId).Track(stored);
        }
        catch (Exception exception)
        {
            LogStepFailed(exception, created.Id, "track");
            Announce(created, stored);
        }
    }

    /// <summary>Tells the board what was just stored (one-way: never on the caller's path).</summary>
    private void Announce(ServiceRequest request, RequestSummary current, RequestSummary? reopenedFrom = null)
    {
        if (reopenedFrom is { } finished)
        {
            Community(request.CommunityId).OnRequestReopened(finished, current).Ignore();
            return;
        }

        Community(request.CommunityId).OnRequestChanged(current).Ignore();
    }

    private ICommunityGrain Community(string communityId) =>
        grains.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId));

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
    /// Delivers the outboxes (points to the ledgers, confirmed hours to the hours records, notices
    /// to the inboxes), then stores (<paramref name="store"/>) what was answered, in one write. What
    /// was not answered stays and is tried again at the next wake-up; each receiver keeps a key
    /// once, so a retry is credited or delivered once. A failed write is logged: the receivers hold
    /// what they answered, delivering it again is harmless.
    /// </summary>
    public async Task DeliverOutboxes(ServiceRequest request, Func<Task> store)
    {
        var answered = false;
        if (!request.PendingPostings.IsEmpty)
        {
            answered |= request.MarkPosted(await Post(request));
        }

        if (!request.PendingHours.IsDefaultOrEmpty)
        {
            answered |= request.MarkHoursRecorded(await RecordHours(request));
        }

        if (!request.PendingNotices.IsDefaultOrEmpty)
        {
            answered |= request.MarkNoticesDelivered(
                await NoticeDelivery.Deliver(grains, request.PendingNotices, (exception, step) => LogStepFailed(exception, request.Id, step)));
        }

        if (!answered)
        {
            return;
        }

        try
        {
            await store();
        }
        catch (Exception exception)
        {
            LogStepFailed(exception, request.Id, "record what the outboxes delivered");
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
    /// Hours confirmed after the verification, credited at once and answered to staff: the first
    /// refusal stops the rest (nothing of this request is owed later, unlike the verification's own).
    /// </summary>
    public async Task<Outcome<HoursEntries>> CreditHours(ImmutableArray<PendingHours> credits)
    {
        var entries = ImmutableArray.CreateBuilder<HoursEntryView>(credits.Length);
        foreach (var (volunteer, credit) in credits)
        {
            var credited = await grains.GetGrain<IHoursGrain>(HoursKeys.For(volunteer)).Credit(credit);
            if (credited.Value is not { } entry)
            {
                return credited.Failure!;
            }

            entries.Add(entry);
        }

        return new HoursEntries(entries.MoveToImmutable());
    }

    /// <summary>Credits each claimant's confirmed hours; returns the volunteers whose records answered (a refusal is an answer too).</summary>
    private async Task<List<string>> RecordHours(ServiceRequest request)
    {
        var recorded = new List<string>();
        foreach (var (volunteer, credit) in request.PendingHours)
        {
            try
            {
                var outcome = await grains.GetGrain<IHoursGrain>(HoursKeys.For(volunteer)).Credit(credit);
                if (outcome.Failure is { } refused)
                {
                    LogHoursRefused(request.Id, volunteer, refused.Code);
                }

                recorded.Add(volunteer);
            }
            catch (Exception exception)
            {
                LogStepFailed(exception, request.Id, $"record hours of {volunteer}");
            }
        }

        return recorded;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId}: {Dropped} history entries left to the query store ({Trimmed} in all)")]
    private partial void LogHistoryTrimmed(Guid requestId, int dropped, int trimmed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: the ledger of {Volunteer} refused a posting ({Reason})")]
    private partial void LogPostingRefused(Guid requestId, string volunteer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: the hours record of {Volunteer} refused the confirmed hours ({Reason})")]
    private partial void LogHoursRefused(Guid requestId, string volunteer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} was stored, but the follow-up step '{Step}' failed")]
    private partial void LogStepFailed(Exception exception, Guid requestId, string step);
}
