using System.Net;
using System.Security.Cryptography.X509Certificates;
using Dispatch.IntegrationTests.Support;
using Dispatch.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Dispatch.IntegrationTests.Cluster;

/// <summary>
/// Cluster mode with mutual TLS (<c>Dispatch:Orleans:Tls</c>): two dedicated silos and a web host
/// in client mode, each with a certificate of the cluster's authority, work together; an Orleans
/// client with no certificate, with one of another authority, or without TLS is refused; and a
/// silo that would listen beyond loopback without TLS does not start.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class ClusterTlsTests(ITestOutputHelper output)
{
    private const string ClusterId = "tls";
    private static readonly TimeSpan RefusalBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_silos_and_a_web_host_use_mutual_tls_and_a_client_without_the_cluster_certificate_is_refused()
    {
        using var directory = new TempDirectory();
        await using var database = await PostgresDatabase.CreateAsync();
        using var authority = new TestCertificates("Dispatch test cluster CA");
        using var rogue = new TestCertificates("Someone else's CA");
        var certificates = Directory.CreateDirectory(Path.Combine(directory.Path, "certificates")).FullName;
        var caPath = authority.WriteAuthority(certificates);

        // One silo from a PKCS#12 file, the other and the web host from PEM files.
        using var silo1Certificate = authority.Issue("silo-1");
        using var silo2Certificate = authority.Issue("silo-2");
        using var webCertificate = authority.Issue("web-1");
        var silo1Pfx = TestCertificates.WritePfx(silo1Certificate, certificates, "silo-1", "pfx-password");
        var silo2Pem = TestCertificates.WritePem(silo2Certificate, certificates, "silo-2");
        var webPem = TestCertificates.WritePem(webCertificate, certificates, "web-1");

        Dictionary<string, string> Settings(bool client, params (string Key, string Value)[] tls)
        {
            var settings = new Dictionary<string, string>
            {
                ["Dispatch__Storage__Provider"] = "PostgreSQL",
                ["ConnectionStrings__Dispatch"] = database.ConnectionString,
                ["Dispatch__Orleans__ClusterId"] = ClusterId,
                ["Dispatch__Auth__SigningKey"] = FailoverCluster.SigningKey,
                ["Dispatch__Orleans__Tls__CaPath"] = caPath,
                ["Logging__LogLevel__Dispatch"] = "Information",
            };
            foreach (var (key, value) in tls)
            {
                settings[$"Dispatch__Orleans__Tls__{key}"] = value;
            }

            if (client)
            {
                settings["Dispatch__Orleans__Mode"] = "Client";
            }

            return settings;
        }

        using var silo1 = await DispatchProcess.StartSilo(
            Path.Combine(directory.Path, "silo-1"), Settings(false, ("CertificatePath", silo1Pfx), ("Password", "pfx-password")));
        using var silo2 = await DispatchProcess.StartSilo(
            Path.Combine(directory.Path, "silo-2"), Settings(false, ("CertificatePath", silo2Pem.Certificate), ("KeyPath", silo2Pem.Key)));
        using var web = await DispatchProcess.Start(
            Path.Combine(directory.Path, "web-1"), settings: Settings(true, ("CertificatePath", webPem.Certificate), ("KeyPath", webPem.Key)));

        try
        {
            // The web host works through the silos: sign in (the account grain), make a place.
            using var admin = await web.Admin();
            await admin.CreatePlace("tls-region", "region", null);
            await DispatchClient.Expect(await admin.Get("/api/places/tls-region"), HttpStatusCode.OK);

            // Both silos are in the cluster, so they reached each other over TLS.
            using var allowed = authority.Issue("test-client");
            Assert.Equal(2, await ActiveSilos(database, tls => Use(tls, allowed, authority.Authority)));

            Assert.Null(await ActiveSilos(database, tls => Use(tls, own: null, authority.Authority)));
            using var foreign = rogue.Issue("test-client");
            Assert.Null(await ActiveSilos(database, tls => Use(tls, foreign, rogue.Authority)));
            Assert.Null(await ActiveSilos(database, configureTls: null));

            Assert.Contains("use mutual TLS with certificate CN=silo-1", silo1.Output, StringComparison.Ordinal);
            Assert.Contains("use mutual TLS with certificate CN=silo-2", silo2.Output, StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine($"silo 1:\n{silo1.Output}\nsilo 2:\n{silo2.Output}\nweb:\n{web.Output}");
            await web.Stop(TimeSpan.FromSeconds(30));
            await silo2.Stop(TimeSpan.FromSeconds(30));
            await silo1.Stop(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task A_silo_that_would_listen_beyond_loopback_without_tls_does_not_start()
    {
        using var directory = new TempDirectory();
        await using var database = await PostgresDatabase.CreateAsync();
        var settings = new Dictionary<string, string>
        {
            ["Dispatch__Storage__Provider"] = "PostgreSQL",
            ["ConnectionStrings__Dispatch"] = database.ConnectionString,
            ["Dispatch__Orleans__ClusterId"] = ClusterId,
            ["Dispatch__Orleans__AdvertisedIP"] = "192.0.2.10",
        };

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => DispatchProcess.StartSilo(directory.Path, settings));
        Assert.Contains("would use an address other than loopback without TLS", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Dispatch:Orleans:AllowInsecure=true", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_tcp_is_loopback_only_unless_allowed_and_said_loudly()
    {
        Assert.Equal(TransportSecurity.LoopbackOnly, ClusterTransport.Decide(new OrleansOptions(), exposed: false, "A silo"));
        Assert.Throws<InvalidOperationException>(() => ClusterTransport.Decide(new OrleansOptions(), exposed: true, "A silo"));
        Assert.Equal(TransportSecurity.InsecureAllowed, ClusterTransport.Decide(new OrleansOptions { AllowInsecure = true }, exposed: true, "A silo"));
        Assert.Equal(
            TransportSecurity.MutualTls,
            ClusterTransport.Decide(new OrleansOptions { Tls = new OrleansTlsOptions { CertificatePath = "silo.pfx" } }, exposed: true, "A silo"));
    }

    [Fact]
    public async Task A_client_refuses_gateways_beyond_loopback_without_tls()
    {
        var gateways = new ClusterTransport.LoopbackGateways(new FixedGateways(new Uri("gwy.tcp://192.0.2.10:30000/0")), new OrleansOptions());
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(gateways.GetGateways);
        Assert.Contains("192.0.2.10", refused.Message, StringComparison.Ordinal);

        var local = new ClusterTransport.LoopbackGateways(new FixedGateways(new Uri("gwy.tcp://127.0.0.1:30000/0")), new OrleansOptions());
        Assert.Single(await local.GetGateways());
    }

    [Fact]
    public void A_peer_is_accepted_only_with_a_certificate_of_the_cluster()
    {
        using var authority = new TestCertificates("cluster CA");
        using var other = new TestCertificates("other CA");
        using var own = authority.Issue("silo-1");
        using var peer = authority.Issue("silo-2");
        using var stranger = other.Issue("silo-2");
        var authorities = new X509Certificate2Collection { authority.Authority };

        Assert.True(ClusterTransport.IsClusterCertificate(peer, own, authorities, TimeProvider.System));
        Assert.False(ClusterTransport.IsClusterCertificate(stranger, own, authorities, TimeProvider.System));

        // Without an authority configured, only the same certificate.
        Assert.True(ClusterTransport.IsClusterCertificate(own, own, [], TimeProvider.System));
        Assert.False(ClusterTransport.IsClusterCertificate(peer, own, [], TimeProvider.System));
    }

    private static void Use(TlsOptions tls, X509Certificate2? own, X509Certificate2 trusted)
    {
        tls.LocalCertificate = own;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (peer, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(peer);
        };
    }

    /// <summary>
    /// Connects an Orleans client of the test process to the cluster through the membership
    /// table and asks how many silos are active; null when it is refused within <see cref="RefusalBound"/>.
    /// </summary>
    private async Task<int?> ActiveSilos(PostgresDatabase database, Action<TlsOptions>? configureTls)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = ClusterId;
                options.ServiceId = "dispatch";
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = DispatchStorageOptions.PostgresInvariant;
                options.ConnectionString = database.ConnectionString;
            });
            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(10));

            // One attempt: a refused connection fails the start at once rather than being retried.
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            if (configureTls is not null)
            {
                client.UseTls(configureTls);
            }
        });

        using var host = builder.Build();
        using var deadline = new CancellationTokenSource(RefusalBound);
        try
        {
            await host.StartAsync(deadline.Token);
            var management = host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
            var hosts = await management.GetHosts(onlyActive: true).WaitAsync(deadline.Token);
            return hosts.Count;
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            // Refused by the gateways, not by our deadline.
            Assert.False(deadline.IsCancellationRequested, $"No answer within {RefusalBound}: {exception}");
            output.WriteLine($"refused: {exception.GetType().Name}: {exception.Message}");
            return null;
        }
        finally
        {
            try
            {
                await host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
            {
                // A client that never connected may not stop cleanly.
            }
        }
    }

    private sealed class FixedGateways(params Uri[] gateways) : Orleans.Messaging.IGatewayListProvider
    {
        public TimeSpan MaxStaleness => TimeSpan.FromMinutes(1);

#pragma warning disable CS0618 // Still a member of the interface.
        public bool IsUpdatable => true;
#pragma warning restore CS0618

        public Task InitializeGatewayListProvider() => Task.CompletedTask;

        public Task<IList<Uri>> GetGateways() => Task.FromResult<IList<Uri>>(gateways);
    }
}
