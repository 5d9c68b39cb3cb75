namespace Dispatch.Silo.Hosting;

/// <summary>How the web host reaches the grains (<c>Dispatch:Orleans:Mode</c>).</summary>
public enum OrleansMode
{
    /// <summary>The web host runs a silo itself (the default, and the single-machine setup).</summary>
    CoHosted,

    /// <summary>The web host joins a cluster of dedicated silos as an Orleans client.</summary>
    Client,
}

/// <summary>Configuration section <c>Dispatch:Orleans</c>.</summary>
public sealed class OrleansOptions
{
    public const string Section = "Dispatch:Orleans";

    public OrleansMode Mode { get; set; } = OrleansMode.CoHosted;

    public string ClusterId { get; set; } = "dispatch";

    /// <summary>Part of every stored grain's identity: changing it hides existing data.</summary>
    public string ServiceId { get; set; } = "dispatch";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients reach this silo at, in cluster mode (PostgreSQL
    /// membership). Empty: the loopback address, which is enough for a cluster on one machine.
    /// </summary>
    public string? AdvertisedIP { get; set; }

    /// <summary>
    /// With localhost clustering (SQLite), the silo port of the first silo on this machine for this
    /// one to join (several hosts on one machine, as the tests run them). Empty: this silo is the first.
    /// </summary>
    public int? PrimarySiloPort { get; set; }
}
