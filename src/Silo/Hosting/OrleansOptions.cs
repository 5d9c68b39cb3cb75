namespace Dispatch.Silo.Hosting;

/// <summary>Configuration section <c>Dispatch:Orleans</c>.</summary>
public sealed class OrleansOptions
{
    public const string Section = "Dispatch:Orleans";

    public string ClusterId { get; set; } = "dispatch";

    /// <summary>Part of every stored grain's identity: changing it hides existing data.</summary>
    public string ServiceId { get; set; } = "dispatch";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// With localhost clustering, the silo port of the first silo on this machine for this one to
    /// join (several hosts on one machine, as the tests run them). Empty: this silo is the first.
    /// </summary>
    public int? PrimarySiloPort { get; set; }
}
