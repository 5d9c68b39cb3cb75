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

    /// <summary>
    /// TLS with mutual authentication between silos and clients (<c>Dispatch:Orleans:Tls:*</c>).
    /// Required in cluster mode whenever a silo listens on, or a client connects over, an address
    /// other than loopback.
    /// </summary>
    public OrleansTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// Lets a silo or client use plain TCP on a non-loopback address: anyone who reaches its
    /// ports can call any grain. Logged as a critical warning at every start.
    /// </summary>
    public bool AllowInsecure { get; set; }
}

/// <summary>
/// Configuration section <c>Dispatch:Orleans:Tls</c>: this process's certificate, from a file
/// (<see cref="CertificatePath"/>) or the certificate store (<see cref="Subject"/> or
/// <see cref="Thumbprint"/>), and what a peer's certificate must chain to (<see cref="CaPath"/>).
/// </summary>
public sealed class OrleansTlsOptions
{
    /// <summary>A PKCS#12 file (<c>.pfx</c>, <c>.p12</c>) or a PEM certificate (with its key, or the key in <see cref="KeyPath"/>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>, when it is a file of its own.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of the PKCS#12 file, or of an encrypted PEM key.</summary>
    public string? Password { get; set; }

    /// <summary>The certificate's subject (<c>CN=…</c> or the name alone) in the store.</summary>
    public string? Subject { get; set; }

    /// <summary>The certificate's SHA-1 thumbprint in the store.</summary>
    public string? Thumbprint { get; set; }

    /// <summary>The store to look in for <see cref="Subject"/> or <see cref="Thumbprint"/>.</summary>
    public string StoreName { get; set; } = "My";

    /// <summary><c>CurrentUser</c> or <c>LocalMachine</c>.</summary>
    public string StoreLocation { get; set; } = "CurrentUser";

    /// <summary>
    /// PEM (or DER) file of the certificate authority that issued the cluster's certificates: a
    /// peer is accepted only with a certificate that chains to it. Empty: a peer is accepted only
    /// with the very certificate this process has (one certificate shared by the whole cluster).
    /// </summary>
    public string? CaPath { get; set; }

    /// <summary>Whether a certificate is configured at all.</summary>
    public bool Configured =>
        !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(Subject) || !string.IsNullOrWhiteSpace(Thumbprint);
}
