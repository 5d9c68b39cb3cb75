using System.Collections.Immutable;

namespace Dispatch.Requests;

/// <summary>
/// Who was shown a request's beneficiary contact, and when (<see cref="ServiceRequest.ContactReads"/>,
/// as stored): the same reader is noted once within <see cref="RequestLimits.ContactReadSpan"/>,
/// and the log keeps the latest <see cref="RequestLimits.ContactReadsKept"/>.
/// </summary>
public readonly record struct ContactReadLog(ImmutableArray<ContactRead> Reads)
{
    /// <summary>The log with <paramref name="reader"/>'s read at <paramref name="now"/>; null when they were noted within the span already.</summary>
    public ContactReadLog? Note(string reader, DateTimeOffset now)
    {
        for (var i = Reads.Length - 1; i >= 0 && now - Reads[i].At < RequestLimits.ContactReadSpan; i--)
        {
            if (Reads[i].By == reader)
            {
                return null;
            }
        }

        var reads = Reads.Add(new ContactRead(reader, now));
        return new(reads.Length > RequestLimits.ContactReadsKept ? reads.RemoveAt(0) : reads);
    }
}
