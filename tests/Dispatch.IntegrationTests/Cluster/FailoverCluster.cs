using System.Globalization;
using Dispatch.IntegrationTests.Support;
using Npgsql;

namespace Dispatch.IntegrationTests.Cluster;

/// <summary>How the processes of a test cluster are arranged.</summary>
public enum Topology
{
    /// <summary>Two web hosts, each running its own silo.</summary>
    CoHosted,

    /// <summary>Two dedicated silos (<c>Dispatch.Silo.dll</c>) and two web hosts in client mode.</summary>
    DedicatedSilos,
}

/// <summary>How quickly the silos of a test cluster declare a silent silo dead.</summary>
public enum MembershipTiming
{
    /// <summary>Shortened under <c>Dispatch:Orleans:Membership</c>: 1 s probes, 2 missed, 1 vote.</summary>
    Tuned,

    /// <summary>Nothing set: Orleans' own <c>ClusterMembershipOptions</c>, as a deployment gets them.</summary>
    OrleansDefaults,
}

/// <summary>
/// A Dispatch cluster of real processes on one PostgreSQL database (grain state, reminders and
/// membership), with membership timing either shortened so that a killed silo is declared dead
/// within seconds, or left at Orleans' defaults. <see cref="Start"/> may be called again after <see cref="Stop"/>: the same database,
/// the same signing key, new ports.
/// </summary>
public sealed class FailoverCluster(Topology topology, MembershipTiming timing, PostgresDatabase database, string root) : IDisposable
{
    /// <summary>Shared by every web host, so that a token issued by one is accepted by all (and after a restart).</summary>
    public const string SigningKey = "failover-test-signing-key-0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>SiloStatus values as stored in the membership table.</summary>
    public const int Active = 3;
    public const int Dead = 6;

    private readonly List<DispatchProcess> running = [];
    private readonly List<DispatchProcess> stopped = [];
    private int generation;

    public Topology Topology => topology;

    public MembershipTiming Timing => timing;

    /// <summary>The web hosts of the current start, in start order.</summary>
    public IReadOnlyList<DispatchProcess> WebHosts { get; private set; } = [];

    /// <summary>The processes that run a silo (the web hosts themselves when co-hosted).</summary>
    public IReadOnlyList<DispatchProcess> Silos { get; private set; } = [];

    /// <summary>Every process started, running or not, for their output.</summary>
    public IEnumerable<DispatchProcess> All => stopped.Concat(running);

    /// <summary>The environment every process of the cluster gets.</summary>
    public Dictionary<string, string> Settings(bool client)
    {
        var settings = new Dictionary<string, string>
        {
            ["Dispatch__Storage__Provider"] = "PostgreSQL",
            ["ConnectionStrings__Dispatch"] = database.ConnectionString,
            ["Dispatch__Orleans__ClusterId"] = "failover",
            ["Dispatch__Auth__SigningKey"] = SigningKey,

            // Requests created and escalated, at Information: evidence of which process did what.
            ["Logging__LogLevel__Dispatch"] = "Information",
        };
        if (timing == MembershipTiming.Tuned)
        {
            // Orleans' ClusterMembershipOptions: probe every second, suspect after two missed
            // probes, one vote is enough (two silos), and read the table every two seconds.
            settings["Dispatch__Orleans__Membership__ProbeTimeout"] = "00:00:01";
            settings["Dispatch__Orleans__Membership__NumMissedProbesLimit"] = "2";
            settings["Dispatch__Orleans__Membership__NumVotesForDeathDeclaration"] = "1";
            settings["Dispatch__Orleans__Membership__TableRefreshTimeout"] = "00:00:02";
            settings["Dispatch__Orleans__Membership__IAmAliveTablePublishTimeout"] = "00:00:02";
            settings["Dispatch__Orleans__Membership__DeathVoteExpirationTimeout"] = "00:00:10";
        }

        if (client)
        {
            settings["Dispatch__Orleans__Mode"] = "Client";
        }

        return settings;
    }

    /// <summary>Starts every process of the topology, one after the other, each ready before the next starts.</summary>
    public async Task Start()
    {
        if (running.Count > 0)
        {
            throw new InvalidOperationException("The cluster is running already.");
        }

        generation++;
        string Folder(string name) => Path.Combine(root, $"{name}-{generation.ToString(CultureInfo.InvariantCulture)}");

        // One at a time: the first start applies the schema and creates the admin account.
        if (topology == Topology.CoHosted)
        {
            var a = Track(await DispatchProcess.Start(Folder("host-a"), settings: Settings(client: false)));
            var b = Track(await DispatchProcess.Start(Folder("host-b"), settings: Settings(client: false)));
            WebHosts = [a, b];
            Silos = [a, b];
        }
        else
        {
            var silo1 = Track(await DispatchProcess.StartSilo(Folder("silo-1"), Settings(client: false), ActiveAndStarted));
            var silo2 = Track(await DispatchProcess.StartSilo(Folder("silo-2"), Settings(client: false), ActiveAndStarted));
            Silos = [silo1, silo2];
            var web1 = Track(await DispatchProcess.Start(Folder("web-1"), settings: Settings(client: true)));
            var web2 = Track(await DispatchProcess.Start(Folder("web-2"), settings: Settings(client: true)));
            WebHosts = [web1, web2];
        }
    }

    /// <summary>Stops every process still running gracefully (web hosts first), as an operator would.</summary>
    public async Task Stop()
    {
        foreach (var process in running.OrderBy(p => Silos.Contains(p) && !WebHosts.Contains(p) ? 1 : 0).ToList())
        {
            await process.Stop(TimeSpan.FromSeconds(30));
            running.Remove(process);
            stopped.Add(process);
        }
    }

    /// <summary>The status of a silo's latest row in the membership table (null before it has one).</summary>
    public async Task<int?> MembershipStatus(DispatchProcess silo)
    {
        try
        {
            return await database.ScalarAsync<int?>(
                "SELECT Status FROM OrleansMembershipTable WHERE Port = @port ORDER BY Generation DESC LIMIT 1;",
                ("port", silo.SiloPort));
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null; // The first silo has not applied the schema yet.
        }
    }

    /// <summary>The processes and their ports, for the report.</summary>
    public string Describe() => string.Join("; ", Silos.Concat(WebHosts).Distinct().Select(p =>
        $"{(WebHosts.Contains(p) ? Silos.Contains(p) ? "web host + silo" : "web host (client)" : "silo")} pid {p.Id} silo port {p.SiloPort} gateway {p.GatewayPort}"));

    /// <summary>Every row of the membership table, for the report.</summary>
    public async Task<string> MembershipTable()
    {
        var rows = await database.RowsAsync("SELECT Port, Generation, Status, SuspectTimes FROM OrleansMembershipTable ORDER BY StartTime;");
        return string.Join("\n", rows.Select(r => $"  port {r[0]} gen {r[1]} status {r[2]} suspects [{r[3]}]"));
    }

    /// <summary>A dedicated silo is ready when its row is Active and its host has started.</summary>
    private async Task<bool> ActiveAndStarted(DispatchProcess silo, CancellationToken cancellation) =>
        await MembershipStatus(silo) == Active && silo.Output.Contains(DispatchProcess.StartedLine, StringComparison.Ordinal);

    private DispatchProcess Track(DispatchProcess process)
    {
        running.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in All)
        {
            process.Dispose();
        }
    }
}
