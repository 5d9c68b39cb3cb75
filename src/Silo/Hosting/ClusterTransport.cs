using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Connections.Security;
using Orleans.Messaging;

namespace Dispatch.Silo.Hosting;

/// <summary>How this process's Orleans connections (silo-to-silo, gateway, client) are protected.</summary>
public enum TransportSecurity
{
    /// <summary>TLS, both sides presenting a certificate the other checks.</summary>
    MutualTls,

    /// <summary>Plain TCP on the loopback address only: nothing off this machine can reach it.</summary>
    LoopbackOnly,

    /// <summary>Plain TCP beyond loopback, because <c>Dispatch:Orleans:AllowInsecure=true</c> says so.</summary>
    InsecureAllowed,
}

/// <summary>
/// Cluster mode's transport: TLS with mutual authentication (Microsoft.Orleans.Connections.Security)
/// whenever a certificate is configured under <c>Dispatch:Orleans:Tls</c>; without one, a silo
/// or client may use plain TCP on loopback only, unless <c>Dispatch:Orleans:AllowInsecure=true</c>.
/// </summary>
public static partial class ClusterTransport
{
    /// <summary>
    /// Decides the transport of a silo that listens on <paramref name="listening"/> (or of a
    /// client), and throws, naming the keys to set, when it would expose plain TCP beyond loopback.
    /// </summary>
    /// <param name="exposed">Whether it listens on, or may connect over, an address other than loopback.</param>
    public static TransportSecurity Decide(OrleansOptions orleans, bool exposed, string what)
    {
        if (orleans.Tls.Configured)
        {
            return TransportSecurity.MutualTls;
        }

        if (!exposed)
        {
            return TransportSecurity.LoopbackOnly;
        }

        if (orleans.AllowInsecure)
        {
            return TransportSecurity.InsecureAllowed;
        }

        throw new InvalidOperationException(
            $"{what} would use an address other than loopback without TLS: anyone who reaches its ports could call any grain. " +
            $"Configure a certificate ({OrleansOptions.Section}:Tls:CertificatePath, or Tls:Subject or Tls:Thumbprint from the certificate store, " +
            $"and Tls:CaPath; see docs/OPERATIONS.md), or set {OrleansOptions.Section}:AllowInsecure=true on a network you trust.");
    }

    /// <summary>
    /// This process's certificate, from the file or the store that <c>Dispatch:Orleans:Tls</c>
    /// names (relative paths from <paramref name="contentRoot"/>); it must have its private key.
    /// </summary>
    public static X509Certificate2 LoadCertificate(OrleansTlsOptions tls, string contentRoot)
    {
        X509Certificate2 certificate;
        if (!string.IsNullOrWhiteSpace(tls.CertificatePath))
        {
            var path = Path.GetFullPath(tls.CertificatePath, contentRoot);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{OrleansOptions.Section}:Tls:CertificatePath: no file at {path}.");
            }

            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, tls.Password);
            }
            else
            {
                var keyPath = string.IsNullOrWhiteSpace(tls.KeyPath) ? null : Path.GetFullPath(tls.KeyPath, contentRoot);
                using var pem = string.IsNullOrEmpty(tls.Password)
                    ? X509Certificate2.CreateFromPemFile(path, keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, tls.Password, keyPath);

                // A key loaded from PEM is ephemeral; SslStream wants one it can hand to the platform.
                certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
            }
        }
        else
        {
            if (!Enum.TryParse<StoreName>(tls.StoreName, ignoreCase: true, out var storeName) ||
                !Enum.TryParse<StoreLocation>(tls.StoreLocation, ignoreCase: true, out var storeLocation))
            {
                throw new InvalidOperationException(
                    $"{OrleansOptions.Section}:Tls:StoreName and Tls:StoreLocation must name a certificate store (My, CurrentUser…), not '{tls.StoreName}', '{tls.StoreLocation}'.");
            }

            using var store = new X509Store(storeName, storeLocation);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var found = string.IsNullOrWhiteSpace(tls.Thumbprint)
                ? store.Certificates.Find(X509FindType.FindBySubjectName, SubjectName(tls.Subject!), validOnly: false)
                : store.Certificates.Find(X509FindType.FindByThumbprint, tls.Thumbprint.Replace(" ", "", StringComparison.Ordinal), validOnly: false);
            certificate = found.Where(c => c.HasPrivateKey && c.NotAfter > DateTime.Now).MaxBy(c => c.NotAfter)
                ?? throw new InvalidOperationException(
                    $"{OrleansOptions.Section}:Tls: no certificate with a private key for '{tls.Thumbprint ?? tls.Subject}' in {storeLocation}/{storeName}.");
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"{OrleansOptions.Section}:Tls: the certificate {certificate.Subject} has no private key (set Tls:KeyPath).");
        }

        return certificate;
    }

    /// <summary>The certificates a peer's must chain to (<c>Tls:CaPath</c>), or none: then only the very same certificate is accepted.</summary>
    public static X509Certificate2Collection LoadAuthorities(OrleansTlsOptions tls, string contentRoot)
    {
        var authorities = new X509Certificate2Collection();
        if (string.IsNullOrWhiteSpace(tls.CaPath))
        {
            return authorities;
        }

        var path = Path.GetFullPath(tls.CaPath, contentRoot);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{OrleansOptions.Section}:Tls:CaPath: no file at {path}.");
        }

        var text = File.ReadAllText(path);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            authorities.ImportFromPem(text);
        }
        else
        {
            authorities.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }

        return authorities;
    }

    /// <summary>
    /// Whether a peer's certificate is one of the cluster's: it chains to one of
    /// <paramref name="authorities"/> (and is within its validity), or, with none configured, it
    /// is <paramref name="own"/> itself. The host name is not checked: silos are reached by IP.
    /// </summary>
    public static bool IsClusterCertificate(X509Certificate2 peer, X509Certificate2 own, X509Certificate2Collection authorities, TimeProvider time)
    {
        var now = time.GetLocalNow().DateTime;
        if (peer.NotBefore > now || peer.NotAfter < now)
        {
            return false;
        }

        if (authorities.Count == 0)
        {
            return peer.RawDataMemory.Span.SequenceEqual(own.RawDataMemory.Span);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now;
        return chain.Build(peer);
    }

    /// <summary>Mutual authentication: a certificate is required from every peer, silo or client, and checked by <see cref="IsClusterCertificate"/>.</summary>
    public static void Configure(TlsOptions options, X509Certificate2 own, X509Certificate2Collection authorities, TimeProvider time)
    {
        options.LocalCertificate = own;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (peer, _, _) => IsClusterCertificate(peer, own, authorities, time);
    }

    /// <summary>Logs, at every start, how the Orleans connections are protected (critical when they are not).</summary>
    public static void AddTransportReport(this IServiceCollection services, TransportSecurity security, string what, X509Certificate2? certificate, int authorities) =>
        services.AddHostedService(provider => new TransportReport(
            provider.GetRequiredService<ILogger<TransportReport>>(), security, what, certificate, authorities));

    /// <summary>
    /// A client that connects through the membership table learns the gateways' addresses only
    /// then: without TLS (and without AllowInsecure) it refuses every gateway off loopback.
    /// </summary>
    public static void RefuseInsecureGateways(this IServiceCollection services, OrleansOptions orleans)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IGatewayListProvider))
            ?? throw new InvalidOperationException("No gateway list provider is registered.");
        services.Remove(registered);
        services.AddSingleton<IGatewayListProvider>(provider =>
        {
            var inner = registered.ImplementationInstance as IGatewayListProvider
                ?? registered.ImplementationFactory?.Invoke(provider) as IGatewayListProvider
                ?? (IGatewayListProvider)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!);
            return new LoopbackGateways(inner, orleans);
        });
    }

    /// <summary>The certificate and authorities when TLS is configured, for <c>UseTls</c>; registers the start report either way.</summary>
    public static (X509Certificate2 Certificate, X509Certificate2Collection Authorities)? Prepare(
        IHostApplicationBuilder builder, OrleansOptions orleans, bool exposed, string what)
    {
        var security = Decide(orleans, exposed, what);
        if (security != TransportSecurity.MutualTls)
        {
            builder.Services.AddTransportReport(security, what, certificate: null, authorities: 0);
            return null;
        }

        var certificate = LoadCertificate(orleans.Tls, builder.Environment.ContentRootPath);
        var authorities = LoadAuthorities(orleans.Tls, builder.Environment.ContentRootPath);
        builder.Services.AddTransportReport(security, what, certificate, authorities.Count);
        return (certificate, authorities);
    }

    private static string SubjectName(string subject) =>
        subject.StartsWith("CN=", StringComparison.OrdinalIgnoreCase) ? subject[3..] : subject;

    /// <summary>Passes the gateways on loopback through; refuses the list when one is elsewhere.</summary>
    public sealed class LoopbackGateways(IGatewayListProvider inner, OrleansOptions orleans) : IGatewayListProvider
    {
        public TimeSpan MaxStaleness => inner.MaxStaleness;

#pragma warning disable CS0618 // Still a member of the interface.
        public bool IsUpdatable => inner.IsUpdatable;
#pragma warning restore CS0618

        public Task InitializeGatewayListProvider() => inner.InitializeGatewayListProvider();

        public async Task<IList<Uri>> GetGateways()
        {
            var gateways = await inner.GetGateways();
            foreach (var gateway in gateways)
            {
                if (!IPAddress.TryParse(gateway.Host, out var address) || !IPAddress.IsLoopback(address))
                {
                    _ = Decide(orleans, exposed: true, $"This Orleans client (gateway {gateway.Host}:{gateway.Port})");
                }
            }

            return gateways;
        }
    }

    private sealed partial class TransportReport(
        ILogger<TransportReport> logger, TransportSecurity security, string what, X509Certificate2? certificate, int authorities) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            switch (security)
            {
                case TransportSecurity.MutualTls:
                    LogTls(logger, what, certificate!.Subject, certificate.Thumbprint, authorities == 0 ? "the same certificate" : $"a certificate issued by {authorities} configured authorities");
                    break;
                case TransportSecurity.LoopbackOnly:
                    LogLoopback(logger, what);
                    break;
                default:
                    LogInsecure(logger, what);
                    break;
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "{What}: Orleans connections use mutual TLS with certificate {Subject} ({Thumbprint}); peers must present {Trust}")]
        private static partial void LogTls(ILogger logger, string what, string subject, string thumbprint, string trust);

        [LoggerMessage(Level = LogLevel.Information, Message = "{What}: Orleans connections are plain TCP on the loopback address only (no Dispatch:Orleans:Tls certificate configured)")]
        private static partial void LogLoopback(ILogger logger, string what);

        [LoggerMessage(Level = LogLevel.Critical, Message = "INSECURE: {What} uses plain TCP beyond loopback because Dispatch:Orleans:AllowInsecure=true. Anyone who reaches its silo or gateway port can call any grain: create an admin, change a password. Configure Dispatch:Orleans:Tls (docs/OPERATIONS.md).")]
        private static partial void LogInsecure(ILogger logger, string what);
    }
}
