using Dispatch.Queries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dispatch.Requests;

// The bounded history: the request keeps its latest entries, the query store all of them.
public sealed partial class RequestGrain
{
    /// <summary>
    /// Once the history kept here has grown a tenth past <see cref="RequestOptions.HistoryKept"/>,
    /// drops the oldest entries the query store already holds (<see cref="HistoryWindow"/>). In
    /// memory only: the next change stores it, so trimming never costs a write of its own, and
    /// what is stored meanwhile holds more entries, never fewer. A silo without a query store
    /// (test clusters) keeps every entry. Never throws: the change before it stands.
    /// </summary>
    private async Task KeepHistoryBounded(ServiceRequest request)
    {
        var keep = options.Value.HistoryKept;
        if (!HistoryWindow.Due(request.History.Length, keep) || ServiceProvider.GetService<IHistoryArchive>() is not { } archive)
        {
            return;
        }

        try
        {
            var archived = await archive.ArchivedThrough(request.Id, CancellationToken.None);
            if (request.TrimHistory(keep, archived) is > 0 and var dropped)
            {
                LogHistoryTrimmed(request.Id, dropped, request.HistoryTrimmed);
            }
        }
        catch (Exception exception)
        {
            LogAfterWriteFailed(exception, request.Id, "trim history");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId}: {Dropped} history entries left to the query store ({Trimmed} in all)")]
    private partial void LogHistoryTrimmed(Guid requestId, int dropped, int trimmed);
}
