namespace Dispatch.WebHost.Security;

/// <summary>
/// The <c>Dispatch:RateLimits</c> settings: the abuse limits of this web host. Each host counts
/// on its own, so behind a load balancer over N hosts a client can get up to N times these.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Dispatch:RateLimits";

    /// <summary>
    /// <c>POST /api/auth/token</c> per client address (IPv6 by its /64). A whole community centre
    /// behind one address can sign in at once; a password sprayer gets about one guess a second.
    /// </summary>
    public TokenBucketSettings TokenPerAddress { get; set; } = new() { Burst = 300, Refill = 1, Period = TimeSpan.FromSeconds(1) };

    /// <summary>
    /// Claim attempts (a place, places for an organisation, an offer accepted) per signed-in
    /// volunteer. Tapping claim a few times a second never runs out; a script gets the burst, then five a second.
    /// </summary>
    public TokenBucketSettings ClaimsPerVolunteer { get; set; } = new() { Burst = 20, Refill = 5, Period = TimeSpan.FromSeconds(1) };

    /// <summary>
    /// Anonymous Open311 reads (<c>GET /open311/v2/…</c>) per client address (IPv6 by its /64).
    /// A GeoReport client polling every few seconds never runs out; a scraper gets the burst,
    /// then one a second: each read of a county's requests or updates reads many grains.
    /// </summary>
    public TokenBucketSettings Open311ReadsPerAddress { get; set; } = new() { Burst = 60, Refill = 1, Period = TimeSpan.FromSeconds(1) };

    /// <summary>
    /// Report-ins (<c>POST /api/applications</c>, anonymous) per client address (IPv6 by its /64).
    /// A community's report-in day behind one address gets the burst; a script, one a minute after it.
    /// </summary>
    public TokenBucketSettings ApplicationsPerAddress { get; set; } = new() { Burst = 60, Refill = 1, Period = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// Report-ins per phone number, whatever the address: a person gets a few tries (a typo in the
    /// username), nobody can file a phone's worth of applications.
    /// </summary>
    public TokenBucketSettings ApplicationsPerPhone { get; set; } = new() { Burst = 3, Refill = 1, Period = TimeSpan.FromHours(1) };

    /// <summary>
    /// Residents' filings (<c>POST /api/intake</c>, anonymous) per client address (IPv6 by its /64).
    /// A residents' meeting behind one address gets the burst; a script, one every five minutes after it.
    /// </summary>
    public TokenBucketSettings IntakePerAddress { get; set; } = new() { Burst = 20, Refill = 1, Period = TimeSpan.FromMinutes(5) };

    /// <summary>Residents' filings per phone number, whatever the address: a few needs a day, not a phone's worth.</summary>
    public TokenBucketSettings IntakePerPhone { get; set; } = new() { Burst = 3, Refill = 1, Period = TimeSpan.FromHours(4) };

    /// <summary>
    /// Residents' anonymous reads (the filing form, the tracking page and its answers) per client
    /// address: a page polled now and then never runs out; guessing codes gets one try a second.
    /// </summary>
    public TokenBucketSettings ResidentReadsPerAddress { get; set; } = new() { Burst = 60, Refill = 1, Period = TimeSpan.FromSeconds(1) };

    /// <summary>
    /// Anonymous reads of the place directory (<c>GET /api/places/directory…</c>, the report-in
    /// page's picker) per client address (IPv6 by its /64). A person tapping down the tree never
    /// runs out; a scraper gets the burst, then two a second.
    /// </summary>
    public TokenBucketSettings DirectoryReadsPerAddress { get; set; } = new() { Burst = 120, Refill = 2, Period = TimeSpan.FromSeconds(1) };

    /// <summary>Requests in progress on this host at once, long-lived connections and probes aside.</summary>
    public ConcurrencySettings Concurrency { get; set; } = new();

    /// <summary>The problems with these settings, empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var problem in TokenPerAddress.Problems($"{Section}:{nameof(TokenPerAddress)}"))
        {
            yield return problem;
        }

        foreach (var problem in ClaimsPerVolunteer.Problems($"{Section}:{nameof(ClaimsPerVolunteer)}"))
        {
            yield return problem;
        }

        foreach (var problem in Open311ReadsPerAddress.Problems($"{Section}:{nameof(Open311ReadsPerAddress)}"))
        {
            yield return problem;
        }

        foreach (var problem in ApplicationsPerAddress.Problems($"{Section}:{nameof(ApplicationsPerAddress)}"))
        {
            yield return problem;
        }

        foreach (var problem in ApplicationsPerPhone.Problems($"{Section}:{nameof(ApplicationsPerPhone)}"))
        {
            yield return problem;
        }

        foreach (var problem in IntakePerAddress.Problems($"{Section}:{nameof(IntakePerAddress)}"))
        {
            yield return problem;
        }

        foreach (var problem in IntakePerPhone.Problems($"{Section}:{nameof(IntakePerPhone)}"))
        {
            yield return problem;
        }

        foreach (var problem in ResidentReadsPerAddress.Problems($"{Section}:{nameof(ResidentReadsPerAddress)}"))
        {
            yield return problem;
        }

        foreach (var problem in DirectoryReadsPerAddress.Problems($"{Section}:{nameof(DirectoryReadsPerAddress)}"))
        {
            yield return problem;
        }

        foreach (var problem in Concurrency.Problems($"{Section}:{nameof(Concurrency)}"))
        {
            yield return problem;
        }
    }
}

/// <summary>A token bucket: <see cref="Burst"/> attempts at once, then <see cref="Refill"/> more every <see cref="Period"/>.</summary>
public sealed class TokenBucketSettings
{
    /// <summary>How many attempts a full bucket allows in a row (its size).</summary>
    public int Burst { get; set; }

    /// <summary>How many attempts come back each <see cref="Period"/>, up to <see cref="Burst"/>.</summary>
    public int Refill { get; set; }

    public TimeSpan Period { get; set; }

    internal IEnumerable<string> Problems(string section)
    {
        if (Burst < 1)
        {
            yield return $"{section}:{nameof(Burst)} must be at least 1.";
        }

        if (Refill < 1 || Refill > Burst)
        {
            yield return $"{section}:{nameof(Refill)} must be between 1 and {nameof(Burst)}.";
        }

        if (Period < TimeSpan.FromMilliseconds(1) || Period > TimeSpan.FromDays(1))
        {
            yield return $"{section}:{nameof(Period)} must be between 1 millisecond and 1 day.";
        }
    }
}

/// <summary>The global limit: at most <see cref="PermitLimit"/> requests in progress, <see cref="QueueLimit"/> more waiting.</summary>
public sealed class ConcurrencySettings
{
    public int PermitLimit { get; set; } = 1000;

    /// <summary>
    /// Requests that wait for a permit (oldest first) before more are refused. None by default: a
    /// queued request waits with no deadline, and a prompt 429 lets the client (or a load balancer) try again elsewhere or later.
    /// </summary>
    public int QueueLimit { get; set; }

    /// <summary>What a refused request is told to wait (whole seconds in <c>Retry-After</c>).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    internal IEnumerable<string> Problems(string section)
    {
        if (PermitLimit < 1)
        {
            yield return $"{section}:{nameof(PermitLimit)} must be at least 1.";
        }

        if (QueueLimit < 0)
        {
            yield return $"{section}:{nameof(QueueLimit)} must not be negative.";
        }

        if (RetryAfter < TimeSpan.FromSeconds(1) || RetryAfter > TimeSpan.FromHours(1))
        {
            yield return $"{section}:{nameof(RetryAfter)} must be between 1 second and 1 hour.";
        }
    }
}
