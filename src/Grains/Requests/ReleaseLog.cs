using System.Collections.Immutable;

namespace Dispatch.Requests;

/// <summary>
/// The latest release of each volunteer who gave a place of a request back
/// (<see cref="ServiceRequest.Releases"/>, as stored): their reclaim cool-down runs from it.
/// </summary>
public readonly record struct ReleaseLog(ImmutableArray<ReleaseRecord> Releases)
{
    /// <summary>Releases remembered for the cool-down: the oldest is forgotten first.</summary>
    public const int Kept = 256;

    /// <summary>
    /// Whether <paramref name="username"/> released less than <paramref name="coolDown"/> before
    /// <paramref name="now"/>. Allocation-free: a claim that would otherwise win asks it.
    /// </summary>
    public bool CoolingDown(string username, DateTimeOffset now, TimeSpan coolDown)
    {
        if (coolDown <= TimeSpan.Zero)
        {
            return false;
        }

        foreach (var release in Releases)
        {
            if (string.Equals(release.Volunteer, username, StringComparison.Ordinal))
            {
                return now - release.At < coolDown;
            }
        }

        return false;
    }

    /// <summary>The log with <paramref name="volunteer"/>'s release at <paramref name="at"/> in place of their earlier one; beyond <see cref="Kept"/> the oldest goes.</summary>
    public ReleaseLog With(string volunteer, DateTimeOffset at)
    {
        var releases = Releases.RemoveAll(r => r.Volunteer == volunteer).Add(new ReleaseRecord(volunteer, at));
        return new(releases.Length > Kept ? releases.RemoveAt(0) : releases);
    }
}

/// <summary>When a volunteer last gave a place of a request back: their cool-down before claiming it again runs from here.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ReleaseRecord")]
public sealed record ReleaseRecord(string Volunteer, DateTimeOffset At);
