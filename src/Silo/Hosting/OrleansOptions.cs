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
}
